package dev.klinika.leads;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The demo clinic's funnel: a month of leads (six a day) from tracking numbers, website
 * forms with UTM tags and messages, most answered within minutes, about half booked and
 * most of those came, some on courses, a quarter lost with a reason, every stage change
 * logged; and today's new leads, two of them already late. Leads writes its own demo
 * history (the demo module orders the steps), so that its tables are written only here.
 */
@Component
public class DemoLeads {

	private static final Logger log = LoggerFactory.getLogger(DemoLeads.class);

	private static final String[] NAMES = { "Анна", "Ольга", "Сергей", "Ирина", "Дмитрий", "Мария", "Алексей", "Елена",
			"Наталья", "Павел", "Татьяна", "Игорь" };

	private static final String[] INTERESTS = { "Болит поясница, хочет к неврологу", "Цена курса массажа",
			"Записать ребёнка к ортопеду", "ЛФК после травмы колена", "Сколько стоит МРТ?",
			"Головные боли, консультация", "Остеопат, есть ли вечером время?", "Реабилитация после операции" };

	private static final String[][] UTM = { { "yandex", "cpc", "osen-spina" }, { "vk", "social", "massage-promo" },
			{ "google", "organic", null }, { "prodoctorov", "referral", null } };

	private final JdbcClient jdbc;

	private final Leads leads;

	private final Clock clock;

	private final UtmSources utm;

	DemoLeads(JdbcClient jdbc, Leads leads, Clock clock, UtmSources utm) {
		this.utm = utm;
		this.jdbc = jdbc;
		this.leads = leads;
		this.clock = clock;
	}

	/**
	 * Writes the month and today's leads; {@code branchIds} are the branches leads
	 * without a tracking number come to. Answers how many leads of the month it wrote.
	 */
	public int generate(java.util.Random random, List<Long> branchIds) {
		Instant now = this.clock.instant();
		List<Long> reasons = this.jdbc.sql("select id from lost_reason order by position").query(Long.class).list();
		record Line(String number, long branchId, @Nullable Long sourceId, @Nullable String campaign) {
		}
		List<Line> lines = this.jdbc
			.sql("select number, branch_id, source_id, campaign from telephony_line_v order by number")
			.query(Line.class)
			.list();
		List<Long> patients = this.jdbc.sql("select id from patients_card_v order by id limit 400")
			.query(Long.class)
			.list();
		// The marketer's UTM tags: what each site's utm_source means.
		String[][] tags = { { "yandex", "Яндекс.Директ" }, { "vk", "ВКонтакте" }, { "prodoctorov", "ПроДокторов" },
				{ "google", "Сайт клиники" } };
		for (String[] tag : tags) {
			this.jdbc.sql("select id from patients_source_v where name = :name")
				.param("name", tag[1])
				.query(Long.class)
				.optional()
				.ifPresent(source -> this.utm.map(tag[0], source));
		}
		int made = 0;
		for (int day = 30; day >= 1; day--) {
			for (int k = 0; k < 6; k++) {
				int n = day * 6 + k;
				Instant created = now.truncatedTo(java.time.temporal.ChronoUnit.DAYS)
					.minus(Duration.ofDays(day))
					.plus(Duration.ofMinutes(6 * 60 + 30 + random.nextInt(10 * 60)));
				LeadChannel channel = n % 5 == 4 ? LeadChannel.MESSAGE
						: n % 5 >= 2 ? LeadChannel.FORM : LeadChannel.CALL;
				Line line = lines.isEmpty() ? null : lines.get(n % lines.size());
				String[] utm = channel == LeadChannel.FORM ? UTM[n % UTM.length] : null;
				long branch = line != null ? line.branchId() : branchIds.get(n % branchIds.size());
				String phone = "+7916" + String.format("%07d", 3_000_000 + n * 37);
				long response = 2 + random.nextInt(n % 7 == 0 ? 90 : 20);
				int outcome = random.nextInt(100);
				LeadStage last = outcome < 25 ? LeadStage.LOST
						: outcome < 35 ? LeadStage.IN_PROGRESS : outcome < 45 ? LeadStage.BOOKED : outcome < 80
								? LeadStage.CAME : outcome < 92 ? LeadStage.COURSE_STARTED : LeadStage.COURSE_COMPLETED;
				Long patient = last.after(LeadStage.IN_PROGRESS) && !patients.isEmpty()
						? patients.get(n % patients.size()) : null;
				String who = response % 2 == 0 ? "admin" : "senior";
				long id = this.jdbc
					.sql("""
							insert into lead (branch_id, channel, name, phone, interest, patient_id, source_id, campaign,
							                  utm_source, utm_medium, utm_campaign, page, stage, stage_at, created_at, sla_due_at,
							                  contacted_at, contacted_by, last_touch_at)
							values (:branch, :channel, :name, :phone, :interest, :patient, :source, :campaign, :utmSource,
							        :utmMedium, :utmCampaign, :page, 'NEW', :at, :at, :due, :contacted, :who, :at)
							returning id
							""")
					.param("branch", branch)
					.param("channel", channel.name())
					.param("name", NAMES[n % NAMES.length])
					.param("phone", phone)
					.param("interest", INTERESTS[n % INTERESTS.length])
					.param("patient", patient)
					.param("source",
							channel == LeadChannel.CALL && line != null ? line.sourceId()
									: utm == null ? null : this.utm.sourceOf(utm[0]).orElse(null))
					.param("campaign", channel == LeadChannel.CALL && line != null ? line.campaign() : null)
					.param("utmSource", utm == null ? null : utm[0])
					.param("utmMedium", utm == null ? null : utm[1])
					.param("utmCampaign", utm == null ? null : utm[2])
					.param("page", utm == null ? null : "https://klinika-dvizhenie.ru/uslugi/massazh")
					.param("at", utc(created))
					.param("due", utc(created.plus(Duration.ofMinutes(15))))
					.param("contacted", utc(created.plus(Duration.ofMinutes(response))))
					.param("who", who)
					.query(Long.class)
					.single();
				this.jdbc
					.sql("insert into lead_touch (origin, lead_id, channel, at) values (:origin, :id, :channel, :at)")
					.param("origin", "demo:" + id)
					.param("id", id)
					.param("channel", channel.name())
					.param("at", utc(created))
					.update();
				this.leads.log(id, null, LeadStage.NEW, created, null, true, null);
				Instant at = created;
				LeadStage stage = LeadStage.NEW;
				for (LeadStage next : LeadStage.FUNNEL) {
					if (!next.after(stage) || (last != LeadStage.LOST && next.after(last))
							|| (last == LeadStage.LOST && next.after(LeadStage.IN_PROGRESS))) {
						continue;
					}
					Instant when = next == LeadStage.IN_PROGRESS ? created.plus(Duration.ofMinutes(response))
							: at.plus(Duration.ofHours(2 + (long) next.ordinal() * 20 + random.nextInt(24)));
					if (when.isAfter(now)) {
						break;
					}
					this.leads.log(id, stage, next, when,
							next == LeadStage.IN_PROGRESS || next == LeadStage.BOOKED ? who : null,
							next.after(LeadStage.BOOKED), Duration.between(at, when).toSeconds());
					at = when;
					stage = next;
				}
				if (last == LeadStage.LOST) {
					Instant when = at.plus(Duration.ofHours(1 + random.nextInt(48)));
					if (when.isBefore(now)) {
						this.leads.log(id, stage, LeadStage.LOST, when, who, false,
								Duration.between(at, when).toSeconds());
						at = when;
						stage = LeadStage.LOST;
					}
				}
				this.jdbc
					.sql("""
							update lead set stage = :stage, stage_at = :at, lost_reason_id = :reason,
							       booked_at = (select min(at) from lead_stage_log where lead_id = :id and to_stage = 'BOOKED')
							 where id = :id
							""")
					.param("stage", stage.name())
					.param("at", utc(at))
					.param("reason", stage == LeadStage.LOST ? reasons.get(n % reasons.size()) : null)
					.param("id", id)
					.update();
				made++;
			}
		}
		// Today's: two came in over 15 minutes ago and nobody answered yet, two just now.
		String[][] today = { { "Вероника", "+79167770011", "Боль в шее, хочет к остеопату", "70" },
				{ null, "+79167770022", "Сколько стоит приём невролога?", "45" },
				{ "Кирилл", "+79167770033", "Массаж спины, 10 сеансов", "6" },
				{ "Людмила", "+79167770044", "ЛФК для мамы после инсульта", "2" } };
		for (int i = 0; i < today.length; i++) {
			String[] lead = today[i];
			this.leads.take(new Leads.Inquiry(i % 2 == 0 ? LeadChannel.FORM : LeadChannel.CALL, "demo:today-" + i,
					branchIds.get(0), lead[0], lead[1], null, lead[2], null,
					i % 2 == 0 ? this.utm.sourceOf("yandex").orElse(null) : null, null,
					i % 2 == 0 ? new Leads.Utm("yandex", "cpc", "osen-spina", null, null) : Leads.Utm.NONE, null,
					now.minus(Duration.ofMinutes(Long.parseLong(lead[3]))), null));
			// Demo leads are due 15 minutes after they came, whatever the branch's hours.
			this.jdbc.sql("update lead set sla_due_at = created_at + interval '15 minutes' where phone = :phone")
				.param("phone", lead[1])
				.update();
		}
		log.info("Demo leads: {} over the last month and {} today", made, today.length);
		return made;
	}

	private static OffsetDateTime utc(Instant at) {
		return at.atOffset(ZoneOffset.UTC);
	}

}
