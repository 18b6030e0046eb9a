package dev.klinika.messaging;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A template as a patient would read it, filled from a real upcoming visit (the next
 * booked one), so that the editor sees real lengths, names and the link.
 */
@Service
@Transactional(readOnly = true)
class TemplatePreview {

	private final Composer composer;

	private final MessagingPolicy policy;

	private final MessageTemplates templates;

	private final JdbcClient jdbc;

	private final Clock clock;

	TemplatePreview(Composer composer, MessagingPolicy policy, MessageTemplates templates, JdbcClient jdbc,
			Clock clock) {
		this.composer = composer;
		this.policy = policy;
		this.templates = templates;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** A filled template, and the visit it was filled from (none in an empty clinic). */
	public record Preview(@Nullable String subject, String body, @Nullable Long appointmentId) {
	}

	public Preview of(MessageTemplates.Template template) {
		Instant now = this.clock.instant();
		Long appointment = this.jdbc.sql("""
				select id from scheduling_appointment_v where lower(during) > :now and expected
				 order by lower(during) limit 1
				""").param("now", Outbox.utc(now)).query(Long.class).optional().orElse(null);
		var templates = new java.util.HashMap<>(this.templates.byKey());
		templates.put(MessageTemplates.key(template.event(), template.channel(), template.locale()), template);
		MessagingPolicy.Policy base = this.policy.policy();
		MessagingPolicy.Policy policy = new MessagingPolicy.Policy(base.quietFrom(), base.quietTo(), base.channels(),
				template.locale(), base.sendBooked(), base.version());
		var context = this.composer.context(policy, templates, now);
		Composer.Visit visit = appointment == null ? null : this.composer.visits(List.of(appointment)).get(appointment);
		Composer.Contact contact = visit == null ? null
				: this.composer.contacts(List.of(visit.patient())).get(visit.patient());
		if (contact == null) {
			contact = new Composer.Contact(0, "Мария Петровна", "Иванова Мария Петровна", null, null, null, null, null,
					false, false, true);
		}
		// A package's or a pathway's message shows a sample: its words take values no
		// visit
		// has.
		Map<String, String> sample = switch (template.event()) {
			case "PACKAGE_EXPIRING" -> Map.of("package", "Массаж спины — 10 сеансов", "left", "3 визита", "date",
					Composer.day(now.plus(java.time.Duration.ofDays(14)), java.time.ZoneId.of("Europe/Moscow"),
							template.locale()));
			case "PATHWAY_NEXT" -> Map.of("next", "Массаж спины — осталось 3 из 10");
			default -> Map.of();
		};
		Composer.Rendered rendered = this.composer.render(context, contact, visit, template.event(), template.channel(),
				sample);
		return new Preview(rendered.subject(), rendered.body(), appointment);
	}

}
