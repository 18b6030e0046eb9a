package dev.klinika.messaging;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.KlinikaApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plans reminders for 100,000 appointments and sends them from the outbox through an SMPP
 * session to the SMSC in the JVM; reports planning time and messages per second against a
 * baseline in the same run: raw submits over a bare session, no database. Target: 1,000
 * messages/s, so that the provider's rate is always the limit.
 */
@Tag("bench")
class MessagingThroughputBenchmark {

	private static final int APPOINTMENTS = 100_000;

	private static final int WORKERS = 4;

	@Test
	void plansAndSendsAHundredThousandReminders() throws Exception {
		try (SmscSimulator smsc = new SmscSimulator()) {
			smsc.receipts(false);
			double raw = rawSubmitsPerSecond(smsc, 20_000);
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(KlinikaApplication.class)
				.profiles("test")
				.run("--server.port=0", "--spring.jmx.enabled=false",
						"--klinika.embedded-db.database=klinika_messaging_bench", "--klinika.demo.enabled=true",
						"--klinika.demo.appointments=2000", "--klinika.messaging.smpp.host=127.0.0.1",
						"--klinika.messaging.smpp.port=" + smsc.port(), "--klinika.messaging.smpp.system-id=bench",
						"--klinika.messaging.smpp.password=bench", "--klinika.messaging.smpp.rate-per-second=1000000",
						"--klinika.messaging.workers=" + WORKERS, "--klinika.messaging.batch=250",
						"--logging.level.dev.klinika=WARN")) {
				JdbcClient jdbc = context.getBean(JdbcClient.class);
				Reminders reminders = context.getBean(Reminders.class);
				List<Long> ids = appointments(jdbc);
				jdbc.sql("analyze").update();
				long planStarted = System.nanoTime();
				int planned = 0;
				for (int i = 0; i < ids.size(); i += 2000) {
					planned += reminders.plan(ids.subList(i, Math.min(ids.size(), i + 2000)), false);
				}
				double planSeconds = (System.nanoTime() - planStarted) / 1e9;
				long pending = jdbc.sql("""
						select count(*) from outbox_message m join appointment a on a.id = m.appointment_id
						 where a.staff_id in (select id from staff where position = 'Bench') and m.status = 'PENDING'
						""").query(Long.class).single();
				int before = smsc.accepted.get();
				long sendStarted = System.nanoTime();
				jdbc.sql(
						"""
								update outbox_message set due_at = now()
								 where status = 'PENDING' and appointment_id in
								       (select id from appointment where staff_id in (select id from staff where position = 'Bench'))
								""")
					.update();
				long left = pending;
				while (left > 0) {
					Thread.sleep(200);
					left = jdbc
						.sql("""
								select count(*) from outbox_message where status in ('PENDING', 'SENDING') and due_at <= now()
								""")
						.query(Long.class)
						.single();
				}
				double sendSeconds = (System.nanoTime() - sendStarted) / 1e9;
				long sent = jdbc.sql("""
						select count(*) from outbox_message m join appointment a on a.id = m.appointment_id
						 where a.staff_id in (select id from staff where position = 'Bench') and m.status = 'SENT'
						""").query(Long.class).single();
				int parts = smsc.accepted.get() - before;
				assertThat(sent).isEqualTo(pending);
				String report = "| measure | value |\n|---|---|\n" + "| appointments | " + ids.size() + " |\n"
						+ "| reminders planned (rows) | " + planned + " |\n"
						+ String.format("| planning time | %.1f s (%.0f appointments/s) |%n", planSeconds,
								ids.size() / planSeconds)
						+ "| reminders sent over SMPP | " + sent + " (" + parts + " SMS parts) |\n"
						+ String.format("| outbox send rate | **%.0f messages/s** (%.0f parts/s), %d workers |%n",
								sent / sendSeconds, parts / sendSeconds, WORKERS)
						+ String.format(
								"| baseline: raw submit_sm over one session, %d threads, no database | %.0f/s |%n",
								WORKERS, raw)
						+ String.format("| outbox parts/s ÷ raw submits/s | %.2f |%n", parts / sendSeconds / raw);
				Path out = Path.of("target/bench/messaging-throughput.md");
				Files.createDirectories(out.getParent());
				Files.writeString(out, report);
				System.out.println(report);
			}
		}
	}

	/** 100 staff members, 1,000 daytime visits each over 50 days, patients in turn. */
	private static List<Long> appointments(JdbcClient jdbc) {
		long branch = jdbc.sql("select min(id) from branch").query(Long.class).single();
		long service = jdbc.sql("select min(id) from service where room_kind is null and capacity = 1")
			.query(Long.class)
			.single();
		jdbc.sql(
				"""
						insert into staff (surname, name, position) select 'Нагрузка' || g, 'Врач', 'Bench' from generate_series(1, 100) g
						""")
			.update();
		jdbc.sql("""
				with st as (select id, row_number() over (order by id) - 1 n from staff where position = 'Bench'),
				     pt as (select id, row_number() over (order by id) - 1 n from patient
				             where merged_into is null and erased_at is null),
				     total as (select count(*) c from pt),
				     k as (select generate_series(0, 999) k)
				insert into appointment (branch_id, staff_id, patient_id, service_id, during, status)
				select :branch, st.id, pt.id, :service,
				       tstzrange(t, t + interval '30 minutes'), 'BOOKED'
				  from st cross join k cross join total
				  join pt on pt.n = (st.n * 1000 + k.k) % total.c
				  cross join lateral (select ((date_trunc('day', now() at time zone 'Europe/Moscow')
				        + (2 + k.k / 20) * interval '1 day' + interval '9 hours' + (k.k % 20) * interval '30 minutes')
				        at time zone 'Europe/Moscow') t) slot
				""").param("branch", branch).param("service", service).update();
		return jdbc.sql("""
				select id from appointment where staff_id in (select id from staff where position = 'Bench') order by id
				""").query(Long.class).list();
	}

	/** Submits over a bare jSMPP session, the ceiling the outbox is measured against. */
	private static double rawSubmitsPerSecond(SmscSimulator smsc, int count) throws Exception {
		SMPPSession session = new SMPPSession();
		session.connectAndBind("127.0.0.1", smsc.port(), new BindParameter(BindType.BIND_TRX, "raw", "raw", "",
				TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null));
		byte[] payload = "Напоминаем о записи завтра в 10:00".getBytes(StandardCharsets.UTF_16BE);
		ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
		AtomicInteger left = new AtomicInteger(count);
		long started = System.nanoTime();
		List<Future<?>> jobs = new ArrayList<>();
		for (int t = 0; t < WORKERS; t++) {
			jobs.add(pool.submit(() -> {
				while (left.decrementAndGet() >= 0) {
					session.submitShortMessage("", TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN, "Klinika",
							TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, "79160000000", new ESMClass(),
							(byte) 0, (byte) 1, null, null, new RegisteredDelivery(0), (byte) 0,
							new GeneralDataCoding(Alphabet.ALPHA_UCS2), (byte) 0, payload);
				}
				return null;
			}));
		}
		for (Future<?> job : jobs) {
			job.get();
		}
		double rate = count / ((System.nanoTime() - started) / 1e9);
		pool.shutdown();
		session.unbindAndClose();
		smsc.received.clear();
		return rate;
	}

}
