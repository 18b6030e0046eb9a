package dev.klinika;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts a real PostgreSQL from the zonky binaries when
 * {@code klinika.embedded-db.enabled} is true (the default), so that
 * {@code ./mvnw spring-boot:run} needs nothing installed. The server is started once per
 * JVM: every Spring context of a test run shares it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "klinika.embedded-db.enabled", matchIfMissing = true)
class EmbeddedDatabaseConfiguration {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

	private static EmbeddedPostgres server;

	@Bean
	DataSource dataSource(EmbeddedDatabaseProperties properties) {
		EmbeddedPostgres postgres = start(properties);
		createDatabaseIfMissing(postgres, properties.database());
		HikariDataSource dataSource = DataSourceBuilder.create()
			.type(LeasedDataSource.class)
			.url(postgres.getJdbcUrl("postgres", properties.database()))
			.username("postgres")
			.password("")
			.build();
		dataSource.setPoolName("klinika-embedded");
		dataSource.setMaximumPoolSize(10);
		return dataSource;
	}

	/**
	 * The pool of one Spring context; the server stops when the last context using it
	 * closes its pool, so that requests still finishing during a graceful shutdown reach
	 * a live database (the server's own JVM hook would race them).
	 */
	static final class LeasedDataSource extends HikariDataSource {

		LeasedDataSource() {
			lease();
		}

		@Override
		public void close() {
			super.close();
			release();
		}

	}

	private static int leases;

	private static synchronized void lease() {
		leases++;
	}

	private static synchronized void release() {
		leases--;
		if (leases <= 0 && server != null) {
			stop();
		}
	}

	private static synchronized void stop() {
		try {
			server.close();
		}
		catch (IOException ex) {
			log.warn("Embedded PostgreSQL did not stop cleanly: {}", ex.getMessage());
		}
		server = null;
	}

	/**
	 * At JVM exit: give the contexts a few seconds to close their pools (and so stop the
	 * server), then stop it anyway.
	 */
	private static void stopAtExit() {
		long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
		while (System.nanoTime() < deadline) {
			synchronized (EmbeddedDatabaseConfiguration.class) {
				if (server == null) {
					return;
				}
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		synchronized (EmbeddedDatabaseConfiguration.class) {
			if (server != null) {
				stop();
			}
		}
	}

	private static boolean hooked;

	static synchronized EmbeddedPostgres start(EmbeddedDatabaseProperties properties) {
		if (server != null) {
			return server;
		}
		if (!hooked) {
			Runtime.getRuntime()
				.addShutdownHook(new Thread(EmbeddedDatabaseConfiguration::stopAtExit, "embedded-postgres-stop"));
			hooked = true;
		}
		Path dataDir = Path.of(properties.dataDir()).toAbsolutePath().normalize();
		try {
			if (properties.reset()) {
				deleteRecursively(dataDir);
			}
			Files.createDirectories(dataDir);
			long started = System.nanoTime();
			EmbeddedPostgres.Builder builder = builder(properties, dataDir);
			if (properties.port() > 0) {
				builder.setPort(properties.port());
			}
			server = builder.start();
			log.info("Embedded PostgreSQL on port {} with data in {} started in {} ms{}", server.getPort(), dataDir,
					(System.nanoTime() - started) / 1_000_000,
					properties.durable() ? "" : " (NOT durable: fsync and synchronous_commit off, for tests only)");
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Embedded PostgreSQL did not start in " + dataDir
					+ " (is another Klinika running on port " + properties.port() + "?)", ex);
		}
	}

	/**
	 * The server as Klinika runs it: its locale, and durable unless tests say otherwise.
	 */
	static EmbeddedPostgres.Builder builder(EmbeddedDatabaseProperties properties, Path dataDir) {
		EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
			.setRegisterShutdownHook(false)
			.setDataDirectory(dataDir)
			.setCleanDataDirectory(false)
			// PostgreSQL 17's built-in C.UTF-8: Unicode lower() for Cyrillic search, the
			// same on every OS.
			.setLocaleConfig("encoding", "UTF8")
			.setLocaleConfig("locale-provider", "builtin")
			.setLocaleConfig("builtin-locale", "C.UTF-8");
		serverSettings(properties).forEach(builder::setServerConfig);
		return builder;
	}

	/**
	 * zonky starts the server with -F (fsync off) and synchronous_commit=off, which a
	 * power cut turns into lost bookings and payments or a corrupt cluster; these -c
	 * settings come after -F on the command line and win.
	 */
	static java.util.Map<String, String> serverSettings(EmbeddedDatabaseProperties properties) {
		String durable = properties.durable() ? "on" : "off";
		return java.util.Map.of("max_connections", "100", "listen_addresses", "localhost", "fsync", durable,
				"synchronous_commit", durable, "full_page_writes", durable);
	}

	private static void createDatabaseIfMissing(EmbeddedPostgres postgres, String database) {
		if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
			throw new IllegalArgumentException("klinika.embedded-db.database must be a plain lower-case name");
		}
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				var exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
			exists.setString(1, database);
			if (!exists.executeQuery().next()) {
				connection.createStatement().execute("create database " + database);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database " + database, ex);
		}
	}

	private static void deleteRecursively(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

}
