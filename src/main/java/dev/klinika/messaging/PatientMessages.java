package dev.klinika.messaging;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import dev.klinika.patients.PatientsMerged;
import dev.klinika.scheduling.WaitingList.SlotOffered;
import dev.klinika.tasks.Automation.PatientMessageRequested;

/**
 * Messages other modules ask for, written once the asking transaction commits (from the
 * event publication log, so none is lost and a failure here refuses nothing there): a
 * rule's message (a thank-you after a first visit), a freed time offered to waiting
 * patients. Merged cards take their messages, chats and opt-outs along.
 */
@Component
class PatientMessages {

	private static final Logger log = LoggerFactory.getLogger(PatientMessages.class);

	/** A message about a visit older than this is no longer worth sending. */
	static final java.time.Duration STALE = java.time.Duration.ofDays(2);

	private final Composer composer;

	private final Outbox outbox;

	private final JdbcClient jdbc;

	private final Clock clock;

	PatientMessages(Composer composer, Outbox outbox, JdbcClient jdbc, Clock clock) {
		this.composer = composer;
		this.outbox = outbox;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@ApplicationModuleListener
	void on(PatientMessageRequested request) {
		Instant now = this.clock.instant();
		Long appointment = request.cause().startsWith("appointment:")
				? Long.valueOf(request.cause().substring("appointment:".length())) : null;
		// A rule replayed over past visits (the demo's history, a rule switched on late)
		// does not thank anyone for a visit of last month.
		if (appointment != null
				&& this.jdbc.sql("select lower(during) < :oldest from scheduling_appointment_v where id = :id")
					.param("oldest", Outbox.utc(now.minus(STALE)))
					.param("id", appointment)
					.query(Boolean.class)
					.optional()
					.orElse(false)) {
			return;
		}
		var context = this.composer.context(now);
		if (context.templates().keySet().stream().noneMatch(key -> key.startsWith(request.message() + "/"))) {
			log.warn("A rule asked for message {} that has no template; nothing sent", request.message());
			return;
		}
		var contact = this.composer.contacts(List.of(request.patient())).get(request.patient());
		if (contact == null) {
			return;
		}

		// the visit it follows, for the timeline and the messages screen
		this.outbox
			.add(List.of(this.composer
				.compose(context, contact, null, request.message(), Purpose.SERVICE,
						"message:" + request.message() + ":" + request.cause(), now, null, Set.of())
				.about(appointment)));
	}

	/**
	 * A package ends soon with visits left: the patient is told once, through the
	 * PACKAGE_EXPIRING template, with the package, what is left and the last day.
	 */
	@ApplicationModuleListener
	void on(dev.klinika.billing.BillingEvents.PackageExpiring expiring) {
		Instant now = this.clock.instant();
		var context = this.composer.context(now);
		var contact = this.composer.contacts(List.of(expiring.patient())).get(expiring.patient());
		if (contact == null) {
			return;
		}
		String locale = context.policy().locale();
		java.util.Map<String, String> values = java.util.Map.of("package", expiring.name(), "left",
				expiring.leftText(java.util.Locale.forLanguageTag(locale)), "date",
				Composer.day(expiring.expiresAt(), Composer.zoneOf(contact, null), locale));
		this.outbox.add(List.of(this.composer.compose(context, contact, null, "PACKAGE_EXPIRING", Purpose.SERVICE,
				"package:" + expiring.pkg(), now, null, Set.of(), values)));
	}

	/**
	 * A consultant's one-click message about a pathway's next step, through the
	 * PATHWAY_NEXT template on the patient's channel, once per request.
	 */
	@ApplicationModuleListener
	void on(dev.klinika.care.CareEvents.PathwayMessageRequested request) {
		Instant now = this.clock.instant();
		var context = this.composer.context(now);
		var contact = this.composer.contacts(List.of(request.patient())).get(request.patient());
		if (contact == null) {
			return;
		}
		this.outbox.add(List.of(this.composer.compose(context, contact, null, "PATHWAY_NEXT", Purpose.SERVICE,
				"pathway:" + request.pathway() + ":message:" + request.step(), now, null, Set.of(),
				java.util.Map.of("next", request.next()))));
	}

	@ApplicationModuleListener
	void on(SlotOffered offer) {
		Instant now = this.clock.instant();
		var context = this.composer.context(now);
		var contacts = this.composer.contacts(offer.patients());
		List<Outbox.Draft> drafts = new ArrayList<>();
		for (int i = 0; i < offer.patients().size(); i++) {
			long patient = offer.patients().get(i);
			var contact = contacts.get(patient);
			var visit = this.composer.offer(patient, offer.staff(), offer.service(), offer.branch(), offer.start());
			if (contact == null || visit.isEmpty()) {
				continue;
			}
			drafts.add(this.composer.compose(context, contact, visit.get(), "SLOT_OFFERED", Purpose.SERVICE,
					"offer:" + offer.entries().get(i) + ":" + offer.start().getEpochSecond(), now, offer.start(),
					Set.of()));
		}
		this.outbox.add(drafts);
	}

	@ApplicationModuleListener
	void on(PatientsMerged merged) {
		for (String table : List.of("outbox_message", "inbound_message", "telegram_chat", "telegram_link_token")) {
			this.jdbc.sql("update " + table + " set patient_id = :survivor where patient_id = :merged")
				.param("survivor", merged.survivor())
				.param("merged", merged.merged())
				.update();
		}
		this.jdbc.sql("""
				insert into message_opt_out (patient_id, scope, at, via)
				select :survivor, scope, at, via from message_opt_out where patient_id = :merged
				on conflict do nothing
				""").param("survivor", merged.survivor()).param("merged", merged.merged()).update();
	}

}
