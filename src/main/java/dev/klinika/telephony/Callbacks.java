package dev.klinika.telephony;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.security.Role;
import dev.klinika.shared.PhoneNumber;
import dev.klinika.tasks.TaskKind;
import dev.klinika.tasks.TaskPriority;
import dev.klinika.tasks.Tasks;

/**
 * A settled missed call becomes a callback task for the admins of its branch, due within
 * the clinic's promise (5 minutes by default) after the call ended, once per call; it
 * closes when the caller gets through or is called back.
 */
@Component
class Callbacks {

	private final Tasks tasks;

	private final JdbcClient jdbc;

	private final TelephonyProperties properties;

	private final MessageSource messages;

	private final dev.klinika.organization.OrganizationQueries organization;

	private final dev.klinika.patients.Patients patients;

	Callbacks(Tasks tasks, JdbcClient jdbc, TelephonyProperties properties, MessageSource messages,
			dev.klinika.organization.OrganizationQueries organization, dev.klinika.patients.Patients patients) {
		this.organization = organization;
		this.patients = patients;
		this.tasks = tasks;
		this.jdbc = jdbc;
		this.properties = properties;
		this.messages = messages;
	}

	/**
	 * Asks the branch's admins to call back a settled missed call, unless it is handled,
	 * asked already, or reported a day late (a replayed history is on the calls list, but
	 * nobody is asked to call back so late).
	 */
	void ask(Calls.Row missed) {
		boolean made = this.jdbc
			.sql("select exists (select 1 from tasks_task_v where cause_type = 'call' and cause_id = :id)")
			.param("id", missed.id())
			.query(Boolean.class)
			.single();
		Instant ended = missed.endedAt().toInstant();
		if (made || ended.isBefore(Instant.now().minus(Duration.ofDays(1)))) {
			return;
		}
		Long branch = missed.branchId();
		if (branch == null && missed.patientId() != null) {
			branch = this.patients.findById(missed.patientId())
				.map(dev.klinika.patients.Patient::getHomeBranchId)
				.orElse(null);
		}
		if (branch == null) {
			branch = this.organization.mainBranch().orElseThrow();
		}
		String caller = missed.caller() == null ? "?" : PhoneNumber.displayOf(missed.caller());
		String title = this.messages.getMessage("telephony.task.callback", new Object[] { caller },
				Locale.forLanguageTag("ru"));
		this.tasks.createFor(Tasks.NewTask
			.forRole(Role.ADMIN, branch, title, TaskKind.CALL_BACK, ended.plus(this.properties.callbackWithin()))
			.about(missed.patientId())
			.withPriority(TaskPriority.HIGH)
			.causedBy("call", missed.id()));
	}

}
