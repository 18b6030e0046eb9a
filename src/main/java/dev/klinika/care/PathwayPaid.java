package dev.klinika.care;

import java.math.BigDecimal;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.billing.BillingEvents.PaymentReceived;
import dev.klinika.billing.BillingEvents.PaymentRefunded;

/**
 * What was paid for a pathway: the bills of its sessions' visits, paid less refunded, as
 * billing says after each payment or refund. The pathway keeps the sum, so the report
 * counts it with the rest of its figures instead of joining every session's bill on each
 * view. Taken again from billing each time, never added up from events: a repeated or
 * late event changes nothing.
 */
@Component
class PathwayPaid {

	private final JdbcClient jdbc;

	PathwayPaid(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@ApplicationModuleListener
	void on(PaymentReceived received) {
		if (received.bill() != null) {
			bill(received.bill());
		}
	}

	@ApplicationModuleListener
	void on(PaymentRefunded refunded) {
		bill(refunded.bill());
	}

	/** A visit attached to a pathway after its bill was paid brings its money along. */
	@Transactional
	void visit(long appointmentId) {
		this.jdbc.sql("select id from billing_bill_v where appointment_id = :visit")
			.param("visit", appointmentId)
			.query(Long.class)
			.list()
			.forEach(this::bill);
	}

	/** Takes again what a bill of a pathway's session holds. */
	@Transactional
	void bill(long billId) {
		List<Long> pathways = this.jdbc.sql("""
				select cs.pathway_id from billing_bill_v b join care_session cs on cs.appointment_id = b.appointment_id
				 where b.id = :bill
				""").param("bill", billId).query(Long.class).list();
		for (long pathway : pathways) {
			// The pathway first: the bill is read after any other change of its money
			// committed, so the last one to write has the newest figure.
			this.jdbc.sql("select id from care_pathway where id = :id for update")
				.param("id", pathway)
				.query()
				.listOfRows();
			BigDecimal amount = this.jdbc
				.sql("""
						select case when voided_at is null then paid - refunded else 0 end from billing_bill_v where id = :bill
						""")
				.param("bill", billId)
				.query(BigDecimal.class)
				.single();
			this.jdbc.sql("""
					insert into care_paid (bill_id, pathway_id, amount) values (:bill, :pathway, :amount)
					on conflict (bill_id) do update set amount = excluded.amount
					""").param("bill", billId).param("pathway", pathway).param("amount", amount).update();
			this.jdbc.sql("""
					update care_pathway p set paid = s.amount
					  from (select coalesce(sum(amount), 0) as amount from care_paid where pathway_id = :id) s
					 where p.id = :id and p.paid <> s.amount
					""").param("id", pathway).update();
		}
	}

}
