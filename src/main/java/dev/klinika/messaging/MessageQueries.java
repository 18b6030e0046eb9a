package dev.klinika.messaging;

import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.BranchScope;

/** The messages screen: what went out, filtered, with counts by status. */
@Service
@Transactional(readOnly = true)
public class MessageQueries {

	private final JdbcClient jdbc;

	MessageQueries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** One row of the list. */
	public record Row(long id, @Nullable Long patientId, @Nullable String patient, @Nullable Long appointmentId,
			String purpose, String event, @Nullable String channel, @Nullable String recipient, String body,
			OffsetDateTime dueAt, MessageStatus status, int attempts, @Nullable String error,
			@Nullable OffsetDateTime sentAt, @Nullable OffsetDateTime deliveredAt, OffsetDateTime createdAt) {

		public boolean retriable() {
			return this.status == MessageStatus.FAILED || this.status == MessageStatus.UNDELIVERED;
		}

	}

	/** The filters of the screen; a null filter takes everything. */
	public record Filter(@Nullable MessageStatus status, @Nullable ChannelKind channel, @Nullable String event,
			@Nullable Long patientId, @Nullable String recipient) {
	}

	/**
	 * The latest messages in the login's branches: those about a visit there or to a
	 * patient of theirs (messages to nobody's card are everyone's).
	 */
	public List<Row> list(Filter filter, BranchScope scope, int limit) {
		return this.jdbc
			.sql("""
					select m.id, m.patient_id, case when p.id is not null then p.short_name end patient,
					       m.appointment_id, m.purpose, m.event, m.channel, m.recipient, m.body, m.due_at, m.status, m.attempts,
					       m.error, m.sent_at, m.delivered_at, m.created_at
					  from outbox_message m left join patients_card_v p on p.id = m.patient_id
					 where (cast(:status as varchar) is null or m.status = :status)
					   and (cast(:channel as varchar) is null or m.channel = :channel)
					   and (cast(:event as varchar) is null or m.event = :event)
					   and (cast(:patient as bigint) is null or m.patient_id = :patient)
					   and (cast(:recipient as varchar) is null or m.recipient like :recipient)
					   and """
					+ IN_SCOPE + """
							 order by m.created_at desc, m.id desc limit :limit
							""")
			.param("status", filter.status() == null ? null : filter.status().name())
			.param("channel", filter.channel() == null ? null : filter.channel().name())
			.param("event", filter.event() == null || filter.event().isBlank() ? null : filter.event())
			.param("patient", filter.patientId())
			.param("recipient",
					filter.recipient() == null || filter.recipient().isBlank() ? null
							: "%" + filter.recipient().strip().replace("%", "").replace("_", "") + "%")
			.param("all", scope.all())
			.param("branches", scope.idsForSql())
			.param("limit", limit)
			.query(Row.class)
			.list();
	}

	/**
	 * A message in the login's branches: about a visit there or to a patient of theirs
	 * (messages to nobody's card are everyone's).
	 */
	private static final String IN_SCOPE = """
			(:all or m.patient_id is null or p.home_branch_id in (:branches)
			 or exists (select 1 from scheduling_appointment_v a where a.id = m.appointment_id and a.branch_id in (:branches)))
			""";

	/** How many messages of the login's branches are in each status. */
	public Map<MessageStatus, Long> counts(BranchScope scope) {
		Map<MessageStatus, Long> counts = new EnumMap<>(MessageStatus.class);
		for (MessageStatus status : MessageStatus.values()) {
			counts.put(status, 0L);
		}
		this.jdbc
			.sql("select m.status, count(*) n from outbox_message m left join patients_card_v p on p.id = m.patient_id"
					+ " where " + IN_SCOPE + " group by m.status")
			.param("all", scope.all())
			.param("branches", scope.idsForSql())
			.query((rs, n) -> Map.entry(MessageStatus.valueOf(rs.getString("status")), rs.getLong("n")))
			.list()
			.forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
		return counts;
	}

	/** The events messages were written for, for the filter. */
	public List<String> events() {
		return this.jdbc.sql("select distinct event from message_template union select 'REPLY' order by 1")
			.query(String.class)
			.list();
	}

}
