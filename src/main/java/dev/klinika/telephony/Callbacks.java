package dev.klinika.telephony;

import java.util.Locale;

import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import dev.klinika.security.Role;
import dev.klinika.shared.PhoneNumber;
import dev.klinika.tasks.TaskKind;
import dev.klinika.tasks.TaskPriority;
import dev.klinika.tasks.Tasks;

/**
 * A missed call becomes a callback task for the admins of its branch, due within the
 * clinic's promise (5 minutes by default), once per call; it closes when the caller gets
 * through or is called back.
 */
@Component
class Callbacks {

	private final Tasks tasks;

	private final JdbcClient jdbc;

	private final TelephonyProperties properties;

	private final MessageSource messages;

	private final dev.klinika.organization.OrganizationQueries organization;

	Callbacks(Tasks tasks, JdbcClient jdbc, TelephonyProperties properties, MessageSource messages,
			dev.klinika.organization.OrganizationQueries organization) {
		this.organization = organization;
		this.tasks = tasks;
		this.jdbc = jdbc;
		this.properties = properties;
		this.messages = messages;
	}

	@ApplicationModuleListener
	void on(Calls.CallMissed missed) {
		boolean stillMissed = this.jdbc.sql("""
				select answered_at is null and handled_at is null from call where id = :id
				""").param("id", missed.call()).query(Boolean.class).optional().orElse(false);
		boolean made = this.jdbc.sql("select exists (select 1 from task where cause_type = 'call' and cause_id = :id)")
			.param("id", missed.call())
			.query(Boolean.class)
			.single();
		// A missed call reported a day late (a replayed history) is on the calls list,
		// but nobody is asked to call back so late.
		if (!stillMissed || made || missed.at().isBefore(java.time.Instant.now().minus(java.time.Duration.ofDays(1)))) {
			return;
		}
		Long branch = missed.branch();
		if (branch == null && missed.patient() != null) {
			branch = this.jdbc.sql("select home_branch_id from patient where id = :id")
				.param("id", missed.patient())
				.query(Long.class)
				.single();
		}
		if (branch == null) {
			branch = this.organization.mainBranch().orElseThrow();
		}
		String caller = missed.caller() == null ? "?" : PhoneNumber.displayOf(missed.caller());
		this.tasks.createFor(new Tasks.NewTask(
				this.messages.getMessage("telephony.task.callback", new Object[] { caller },
						Locale.forLanguageTag("ru")),
				TaskKind.CALL_BACK, missed.patient(), branch, null, Role.ADMIN,
				missed.at().plus(this.properties.callbackWithin()), TaskPriority.HIGH, null, "call", missed.call(),
				null, null));
	}

}
