package dev.klinika;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded PostgreSQL that {@code ./mvnw spring-boot:run} starts keeps every commit
 * through a power cut: zonky's own -F is overridden. Only tests turn durability off.
 */
class EmbeddedDatabaseDurabilityTests {

	@TempDir
	Path dir;

	@Test
	void runsTheApplicationsServerWithFsyncAndSynchronousCommit() throws Exception {
		var defaults = new EmbeddedDatabaseProperties(null, 0, null, false, null, null);
		assertThat(defaults.durable()).isTrue();
		Path data = Files.createDirectories(this.dir.resolve("pg"));
		try (EmbeddedPostgres server = EmbeddedDatabaseConfiguration.builder(defaults, data).start();
				Connection connection = server.getPostgresDatabase().getConnection()) {
			assertThat(setting(connection, "fsync")).isEqualTo("on");
			assertThat(setting(connection, "synchronous_commit")).isEqualTo("on");
			assertThat(setting(connection, "full_page_writes")).isEqualTo("on");
		}
	}

	@Test
	void letsOnlyAnExplicitSettingTradeDurabilityForSpeed() {
		var tests = new EmbeddedDatabaseProperties(null, 0, null, true, null, false);
		assertThat(EmbeddedDatabaseConfiguration.serverSettings(tests)).containsEntry("fsync", "off")
			.containsEntry("synchronous_commit", "off");
	}

	private static String setting(Connection connection, String name) throws Exception {
		try (ResultSet rs = connection.createStatement().executeQuery("show " + name)) {
			rs.next();
			return rs.getString(1);
		}
	}

}
