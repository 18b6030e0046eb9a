package dev.klinika.scheduling;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.klinika.KlinikaTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What scheduling publishes to other modules' SQL says the same as its Java: the
 * lifecycle's groups of states in {@code scheduling_appointment_v} are those of
 * {@link AppointmentStatus}, for every state.
 */
@KlinikaTest
class PublishedViewTests {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlatformTransactionManager transactions;

	@Test
	void theAppointmentViewsStateGroupsAreTheEnumsForEveryState() {
		long id = this.jdbc.sql("select min(id) from appointment where status = 'BOOKED'").query(Long.class).single();
		TransactionTemplate transaction = new TransactionTemplate(this.transactions);
		transaction.executeWithoutResult(status -> {
			status.setRollbackOnly();
			for (AppointmentStatus state : AppointmentStatus.values()) {
				this.jdbc.sql("update appointment set status = :status where id = :id")
					.param("status", state.name())
					.param("id", id)
					.update();
				Map<String, Object> row = this.jdbc
					.sql("select holds_time, expected, open, starts_at = lower(during) as starts "
							+ "from scheduling_appointment_v where id = :id")
					.param("id", id)
					.query()
					.singleRow();
				assertThat(row).as(state.name())
					.containsEntry("holds_time", state.holdsTime())
					.containsEntry("expected", state.movable())
					.containsEntry("open", state.open())
					.containsEntry("starts", true);
			}
		});
	}

}
