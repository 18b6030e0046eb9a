package dev.klinika;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The PostgreSQL that Klinika starts inside its own process when no external server is
 * configured.
 *
 * @param enabled start the embedded server (default); {@code false} uses
 * {@code spring.datasource.*}
 * @param port TCP port on loopback; 0 picks a free one (tests)
 * @param dataDir where the cluster lives between runs
 * @param reset wipe the data directory before starting (tests only)
 * @param database name of the database Klinika creates and uses
 * @param durable whether a commit waits for the disk ({@code fsync} and
 * {@code synchronous_commit} on, the default); only tests turn it off, to run faster
 */
@ConfigurationProperties("klinika.embedded-db")
record EmbeddedDatabaseProperties(Boolean enabled, Integer port, String dataDir, boolean reset, String database,
		Boolean durable) {

	public EmbeddedDatabaseProperties {
		enabled = enabled == null || enabled;
		port = port == null ? 54329 : port;
		dataDir = dataDir == null || dataDir.isBlank() ? "./data/pg" : dataDir;
		database = database == null || database.isBlank() ? "klinika" : database;
		durable = durable == null || durable;
	}

}
