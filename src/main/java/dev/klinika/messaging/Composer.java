package dev.klinika.messaging;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.shared.PhoneNumber;

/**
 * Turns a cause into outbox rows: whom to reach, through which channel (the patient's
 * preference, then the clinic's order, among channels that work and contacts the card
 * has), when (out of the quiet hours in the patient's zone), in which words.
 */
@Component
class Composer {

	/** A message close to its deadline is not useful; closer than this it is not sent. */
	static final Duration USEFUL_BEFORE = Duration.ofMinutes(30);

	private final JdbcClient jdbc;

	private final Senders senders;

	private final VisitLinks links;

	private final MessagingPolicy policy;

	private final MessageTemplates templates;

	Composer(JdbcClient jdbc, Senders senders, VisitLinks links, MessagingPolicy policy, MessageTemplates templates) {
		this.policy = policy;
		this.templates = templates;
		this.jdbc = jdbc;
		this.senders = senders;
		this.links = links;
	}

	/** How to reach a patient. */
	record Contact(long patient, String name, String fullName, @Nullable String email, @Nullable String phone,
			@Nullable Long chat, @Nullable String preferred, @Nullable String zone, boolean optedOutAll,
			boolean optedOutMarketing, boolean marketingConsent) {
	}

	/** What a message is about: a visit (booked, or a freed time offered). */
	record Visit(@Nullable Long appointment, long patient, Instant start, String status, String staff, String service,
			@Nullable Long category, String branch, String address, ZoneId zone) {

		/**
		 * Whether the patient is still expected at this visit (scheduling's lifecycle
		 * decides which states those are); an offered time is not a visit yet.
		 */
		boolean expected() {
			return java.util.Arrays.stream(dev.klinika.scheduling.AppointmentStatus.values())
				.anyMatch(state -> state.name().equals(this.status) && state.movable());
		}

	}

	/**
	 * Everything that stays the same for a batch: policy, templates, the clinic's name.
	 */
	record Context(MessagingPolicy.Policy policy, Map<String, MessageTemplates.Template> templates, String clinic,
			Instant now) {
	}

	Map<Long, Contact> contacts(Collection<Long> patients) {
		Map<Long, Contact> contacts = new HashMap<>();
		if (patients.isEmpty()) {
			return contacts;
		}
		this.jdbc
			.sql("""
					select p.id, p.surname, p.name, p.patronymic, p.email, p.preferred_channel, p.time_zone,
					       (select number from patients_phone_v ph where ph.patient_id = p.id order by main desc, number limit 1) phone,
					       (select chat_id from telegram_chat t where t.patient_id = p.id order by linked_at desc limit 1) chat,
					       exists (select 1 from message_opt_out o where o.patient_id = p.id and o.scope = 'ALL') out_all,
					       exists (select 1 from message_opt_out o where o.patient_id = p.id and o.scope = 'MARKETING') out_marketing,
					       exists (select 1 from patients_consent_v c where c.patient_id = p.id and c.kind = 'MARKETING'
					                  and c.given_at <= now() and c.withdrawn_at is null) marketing_consent
					  from patients_card_v p where p.id in (:ids) and p.erased_at is null
					""")
			.param("ids", patients)
			.query((rs, n) -> {
				String name = rs.getString("name");
				String patronymic = rs.getString("patronymic");
				String polite = patronymic == null || patronymic.isBlank() ? name : name + " " + patronymic;
				return new Contact(rs.getLong("id"), polite, rs.getString("surname") + " " + polite,
						rs.getString("email"), rs.getString("phone"), (Long) rs.getObject("chat"),
						rs.getString("preferred_channel"), rs.getString("time_zone"), rs.getBoolean("out_all"),
						rs.getBoolean("out_marketing"), rs.getBoolean("marketing_consent"));
			})
			.list()
			.forEach(contact -> contacts.put(contact.patient(), contact));
		return contacts;
	}

	Map<Long, Visit> visits(Collection<Long> appointments) {
		Map<Long, Visit> visits = new HashMap<>();
		if (appointments.isEmpty()) {
			return visits;
		}
		this.jdbc
			.sql("""
					select a.id, a.patient_id, lower(a.during) start_at, a.status,
					       replace(st.initials, '. ', '.') staff,
					       sv.name service, sv.category_id, b.name branch, b.address, b.time_zone
					  from scheduling_appointment_v a join organization_staff_v st on st.id = a.staff_id join catalog_service_v sv on sv.id = a.service_id
					  join organization_branch_v b on b.id = a.branch_id
					 where a.id in (:ids)
					""")
			.param("ids", appointments)
			.query((rs, n) -> visit(rs, rs.getLong("id")))
			.list()
			.forEach(visit -> visits.put(visit.appointment(), visit));
		return visits;
	}

	/** A freed time, for an offer to a waiting patient. */
	Optional<Visit> offer(long patient, long staff, long service, long branch, Instant start) {
		return this.jdbc
			.sql("""
					select :patient patient_id, cast(:start as timestamptz) start_at, 'OFFERED' status,
					       replace(st.initials, '. ', '.') staff,
					       sv.name service, sv.category_id, b.name branch, b.address, b.time_zone
					  from organization_staff_v st, catalog_service_v sv, organization_branch_v b where st.id = :staff and sv.id = :service and b.id = :branch
					""")
			.param("patient", patient)
			.param("start", Outbox.utc(start))
			.param("staff", staff)
			.param("service", service)
			.param("branch", branch)
			.query((rs, n) -> visit(rs, null))
			.optional();
	}

	private static Visit visit(java.sql.ResultSet rs, @Nullable Long appointment) throws java.sql.SQLException {
		return new Visit(appointment, rs.getLong("patient_id"),
				rs.getObject("start_at", OffsetDateTime.class).toInstant(), rs.getString("status"),
				rs.getString("staff"), rs.getString("service"), (Long) rs.getObject("category_id"),
				rs.getString("branch"), rs.getString("address"), ZoneId.of(rs.getString("time_zone")));
	}

	/** The clinic's policy and templates as they are now, for one batch of messages. */
	Context context(Instant now) {
		return context(this.policy.policy(), this.templates.byKey(), now);
	}

	Context context(MessagingPolicy.Policy policy, Map<String, MessageTemplates.Template> templates, Instant now) {
		String clinic = this.jdbc.sql("select name from organization_clinic_v where id = 1")
			.query(String.class)
			.optional()
			.orElse("");
		return new Context(policy, templates, clinic, now);
	}

	/**
	 * The row for one message: pending on the first channel that can reach the patient,
	 * at the first moment out of quiet hours; or skipped with the reason (opted out, no
	 * contact, a landline only, quiet until too late).
	 */
	Outbox.Draft compose(Context context, Contact contact, @Nullable Visit visit, String event, Purpose purpose,
			String key, Instant due, @Nullable Instant deadline, Set<ChannelKind> exclude) {
		return compose(context, contact, visit, event, purpose, key, due, deadline, exclude, Map.of());
	}

	/**
	 * The row for one message whose words also take values of its own (a package's name
	 * and what is left of it).
	 */
	Outbox.Draft compose(Context context, Contact contact, @Nullable Visit visit, String event, Purpose purpose,
			String key, Instant due, @Nullable Instant deadline, Set<ChannelKind> exclude, Map<String, String> extra) {
		Long appointment = visit == null ? null : visit.appointment();
		Optional<Route> route = route(context.policy(), contact, exclude);
		ChannelKind channel = route.map(Route::channel).orElse(ChannelKind.SMS);
		Rendered rendered = render(context, contact, visit, event, channel, extra);
		String body = rendered.body();
		String subject = rendered.subject();
		String skip = null;
		if (contact.optedOutAll() || (purpose == Purpose.MARKETING && contact.optedOutMarketing())) {
			skip = "OPTED_OUT";
		}
		else if (purpose == Purpose.MARKETING && !contact.marketingConsent()) {
			skip = "NO_CONSENT";
		}
		else if (route.isEmpty()) {
			skip = contact.phone() != null && !PhoneNumber.parse(contact.phone()).map(PhoneNumber::mobile).orElse(false)
					? "LANDLINE" : "NO_CONTACT";
		}
		Instant when = null;
		if (skip == null) {
			when = outOfQuietHours(context.policy(), due, zoneOf(contact, visit), deadline, context.now());
			if (when == null) {
				skip = "QUIET_HOURS";
			}
		}
		if (skip != null) {
			return new Outbox.Draft(key, contact.patient(), appointment, purpose, event,
					route.map(Route::channel).orElse(null), route.map(Route::recipient).orElse(null), subject, body,
					due, MessageStatus.SKIPPED, skip);
		}
		return new Outbox.Draft(key, contact.patient(), appointment, purpose, event, channel, route.get().recipient(),
				subject, body, when, MessageStatus.PENDING, null);
	}

	/** A message's words. */
	record Rendered(@Nullable String subject, String body) {
	}

	/** The template of the event and channel in the clinic's language, filled. */
	Rendered render(Context context, Contact contact, @Nullable Visit visit, String event, ChannelKind channel) {
		return render(context, contact, visit, event, channel, Map.of());
	}

	Rendered render(Context context, Contact contact, @Nullable Visit visit, String event, ChannelKind channel,
			Map<String, String> extra) {
		MessageTemplates.Template template = template(context, event, channel);
		Map<String, String> values = values(context, contact, visit);
		values.putAll(extra);
		return new Rendered(template.subject() == null ? null : MessageTemplates.render(template.subject(), values),
				MessageTemplates.render(template.body(), values));
	}

	/** A channel and the address on it. */
	record Route(ChannelKind channel, String recipient) {
	}

	/** The first channel that works, has the patient's contact, and was not tried yet. */
	Optional<Route> route(MessagingPolicy.Policy policy, Contact contact, Set<ChannelKind> exclude) {
		List<ChannelKind> order = new ArrayList<>(policy.channels());
		if (contact.preferred() != null) {
			for (ChannelKind channel : ChannelKind.values()) {
				if (channel.name().equals(contact.preferred())) {
					order.remove(channel);
					order.add(0, channel);
				}
			}
		}
		Set<ChannelKind> working = this.senders.available();
		for (ChannelKind channel : order) {
			if (!working.contains(channel) || exclude.contains(channel)) {
				continue;
			}
			String recipient = switch (channel) {
				case TELEGRAM -> contact.chat() == null ? null : String.valueOf(contact.chat());
				case SMS -> contact.phone() == null ? null
						: PhoneNumber.parse(contact.phone())
							.filter(PhoneNumber::mobile)
							.map(PhoneNumber::e164)
							.orElse(null);
				case EMAIL -> contact.email() == null || contact.email().isBlank() ? null : contact.email().trim();
			};
			if (recipient != null) {
				return Optional.of(new Route(channel, recipient));
			}
		}
		return Optional.empty();
	}

	/**
	 * The moment to send: {@code due} itself, or when it falls in the quiet hours, the
	 * end of them if that is still useful before the deadline, else the last minute
	 * before they began if that is still ahead; null when neither is.
	 */
	static @Nullable Instant outOfQuietHours(MessagingPolicy.Policy policy, Instant due, ZoneId zone,
			@Nullable Instant deadline, Instant now) {
		ZonedDateTime local = due.atZone(zone);
		if (!policy.quiet(local.toLocalTime())) {
			return due;
		}
		LocalDate day = local.toLocalDate();
		ZonedDateTime end = day.atTime(policy.quietTo()).atZone(zone);
		if (!end.isAfter(local)) {
			end = day.plusDays(1).atTime(policy.quietTo()).atZone(zone);
		}
		if (deadline == null || !end.toInstant().plus(USEFUL_BEFORE).isAfter(deadline)) {
			return end.toInstant();
		}
		ZonedDateTime begin = day.atTime(policy.quietFrom()).atZone(zone);
		if (begin.isAfter(local)) {
			begin = day.minusDays(1).atTime(policy.quietFrom()).atZone(zone);
		}
		Instant lastCall = begin.toInstant().minus(Duration.ofMinutes(1));
		return lastCall.isAfter(now) ? lastCall : null;
	}

	static ZoneId zoneOf(Contact contact, @Nullable Visit visit) {
		if (contact.zone() != null && !contact.zone().isBlank()) {
			try {
				return ZoneId.of(contact.zone());
			}
			catch (DateTimeException ex) {
				// a zone typed wrong on the card: the branch's zone is the best guess
			}
		}
		return visit == null ? ZoneId.of("Europe/Moscow") : visit.zone();
	}

	private static MessageTemplates.Template template(Context context, String event, ChannelKind channel) {
		MessageTemplates.Template template = context.templates()
			.get(MessageTemplates.key(event, channel, context.policy().locale()));
		if (template == null) {
			template = context.templates().get(MessageTemplates.key(event, channel, "ru"));
		}
		if (template == null) {
			throw new IllegalStateException("No template for " + event + " " + channel);
		}
		return template;
	}

	/** A day as messages write it: "15 мая". */
	static String day(Instant at, ZoneId zone, String locale) {
		return at.atZone(zone).format(DateTimeFormatter.ofPattern("d MMMM", Locale.forLanguageTag(locale)));
	}

	private Map<String, String> values(Context context, Contact contact, @Nullable Visit visit) {
		Map<String, String> values = new HashMap<>();
		values.put("name", contact.name());
		values.put("fullName", contact.fullName());
		values.put("clinic", context.clinic());
		if (visit != null) {
			Locale locale = Locale.forLanguageTag(context.policy().locale());
			ZonedDateTime at = visit.start().atZone(visit.zone());
			values.put("date", day(visit.start(), visit.zone(), context.policy().locale()));
			values.put("time", at.toLocalTime().format(DateTimeFormatter.ofPattern("HH:mm")));
			values.put("staff", visit.staff());
			values.put("service", visit.service());
			values.put("branch", visit.branch());
			values.put("address", visit.address());
			if (visit.appointment() != null) {
				values.put("link", this.links.visitUrl(visit.appointment(), visit.start()));
			}
		}
		return values;
	}

}
