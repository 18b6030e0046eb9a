package dev.klinika.telephony;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The caller pop-up's signal: a call that starts to ring is told to every node's open
 * screens on the {@code klinika_calls} channel ("branch:call"), in the transaction that
 * records the call, so that they hear of it the moment it commits and never of a call
 * that was not recorded.
 */
@Component
class CallPopups {

	private final JdbcClient jdbc;

	CallPopups(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@EventListener
	void on(Calls.CallRinging ringing) {
		this.jdbc.sql("select pg_notify('klinika_calls', :payload)")
			.param("payload", (ringing.branch() == null ? 0 : ringing.branch()) + ":" + ringing.call())
			.query(String.class)
			.optional();
	}

}
