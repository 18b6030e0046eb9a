package dev.klinika.messaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kills a real Klinika process (SIGKILL) while it sends 3,000 SMS from the outbox to the
 * SMSC in this JVM, starts another on the same database, and checks that every message
 * arrived, and that the only ones that arrived twice are those the dead process had
 * claimed but not yet recorded as sent: the window between the provider's acceptance and
 * the commit, at most one message per sending thread.
 */
@SpringBootTest
@ActiveProfiles("test")
class OutboxCrashTests {

	private static final int MESSAGES = 3000;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aKilledSenderLosesNothingAndRepeatsOnlyWhatItHadNotRecorded() throws Exception {
		int port = this.jdbc.sql("select inet_server_port()").query(Integer.class).single();
		this.jdbc.sql("drop database if exists klinika_crash with (force)").update();
		this.jdbc.sql("create database klinika_crash").update();
		String url = "jdbc:postgresql://localhost:" + port + "/klinika_crash";
		try (SmscSimulator smsc = new SmscSimulator();
				Connection db = DriverManager.getConnection(url, "postgres", "")) {
			smsc.receipts(false);
			Process first = start(url, smsc.port(), "first");
			Set<String> claimedAtKill;
			int sentAtKill;
			try {
				await().atMost(Duration.ofSeconds(90)).until(() -> exists(db, "outbox_message"));
				db.createStatement()
					.executeUpdate(
							"""
									insert into outbox_message (idempotency_key, purpose, event, channel, recipient, body, due_at, status)
									select 'crash:' || i, 'SERVICE', 'REPLY', 'SMS', '+7916' || lpad(i::text, 7, '0'),
									       'Проверка доставки ' || i, now(), 'PENDING'
									  from generate_series(1, %d) i
									"""
								.formatted(MESSAGES));
				await().atMost(Duration.ofSeconds(60)).until(() -> smsc.accepted.get() >= MESSAGES / 3);
			}
			finally {
				first.destroyForcibly().waitFor();
			}
			claimedAtKill = strings(db, "select recipient from outbox_message where status = 'SENDING'");
			sentAtKill = strings(db, "select recipient from outbox_message where status = 'SENT'").size();
			assertThat(sentAtKill).isLessThan(MESSAGES);

			Process second = start(url, smsc.port(), "second");
			try {
				await().atMost(Duration.ofSeconds(120))
					.until(() -> strings(db, "select recipient from outbox_message where status = 'SENT'")
						.size() == MESSAGES);
			}
			finally {
				second.destroy();
				second.waitFor();
			}
			Map<String, Integer> arrivals = new HashMap<>();
			smsc.received.forEach(message -> arrivals.merge("+" + message.destination(), 1, Integer::sum));
			List<String> twice = arrivals.entrySet()
				.stream()
				.filter(entry -> entry.getValue() > 1)
				.map(Map.Entry::getKey)
				.toList();
			// Nothing lost: every message reached the SMSC.
			assertThat(arrivals).hasSize(MESSAGES);
			// Nothing recorded as sent went again: every repeat was claimed and
			// unrecorded
			// when the process died.
			assertThat(claimedAtKill).containsAll(twice);
			assertThat(twice.size()).isLessThanOrEqualTo(claimedAtKill.size());
			// Each result is recorded as soon as the SMSC answers: at most the one
			// message
			// each of the two workers had in flight went twice.
			assertThat(twice.size()).isLessThanOrEqualTo(2);
			String report = "Killed after " + sentAtKill + " of " + MESSAGES + " were recorded as sent; "
					+ claimedAtKill.size() + " were claimed and unrecorded; " + twice.size()
					+ " arrived twice (all of them among those claimed), 0 lost.";
			Path out = Path.of("target/bench/outbox-crash.md");
			Files.createDirectories(out.getParent());
			Files.writeString(out, report + "\n");
			System.out.println(report);
		}
		finally {
			this.jdbc.sql("drop database if exists klinika_crash with (force)").update();
		}
	}

	private static Process start(String url, int smppPort, String name) throws Exception {
		String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-Xmx320m", "-XX:TieredStopAtLevel=1", "-cp", classpath,
				"dev.klinika.KlinikaApplication", "--server.port=0", "--spring.jmx.enabled=false",
				"--spring.main.banner-mode=off", "--klinika.embedded-db.enabled=false",
				"--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
				"--klinika.demo.enabled=false", "--klinika.security.initial-owner-password=crash-test-password",
				"--klinika.messaging.smpp.host=127.0.0.1", "--klinika.messaging.smpp.port=" + smppPort,
				"--klinika.messaging.smpp.system-id=crash", "--klinika.messaging.smpp.password=crash",
				"--klinika.messaging.smpp.rate-per-second=400", "--klinika.messaging.workers=2",
				"--klinika.messaging.lease=PT3S", "--klinika.messaging.sandbox=false", "--logging.level.root=WARN"));
		Path log = Path.of("target/outbox-crash-" + name + ".log");
		Files.createDirectories(log.getParent());
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	private static boolean exists(Connection db, String table) throws Exception {
		try (ResultSet rs = db.createStatement().executeQuery("select to_regclass('" + table + "') is not null")) {
			rs.next();
			return rs.getBoolean(1);
		}
	}

	private static Set<String> strings(Connection db, String sql) throws Exception {
		Set<String> values = new HashSet<>();
		try (ResultSet rs = db.createStatement().executeQuery(sql)) {
			while (rs.next()) {
				values.add(rs.getString(1));
			}
		}
		return values;
	}

}
