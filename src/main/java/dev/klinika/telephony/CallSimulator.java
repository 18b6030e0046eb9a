package dev.klinika.telephony;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * A fake PBX for the demo and for trying Klinika out: plays a call into the running app
 * through the same path a real PBX's webhook takes ({@link Calls#apply}): it rings now,
 * and a few seconds later it is answered (and ends) or ends unanswered. On by default
 * only with the embedded database ({@code klinika.telephony.simulator}).
 */
@Service
public class CallSimulator implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(CallSimulator.class);

	private final Calls calls;

	private final Clock clock;

	private final boolean enabled;

	private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "call-simulator");
		thread.setDaemon(true);
		return thread;
	});

	CallSimulator(Calls calls, Clock clock, @Value("${klinika.telephony.simulator:}") @Nullable Boolean simulator,
			@Value("${klinika.embedded-db.enabled:false}") boolean embedded) {
		this.calls = calls;
		this.clock = clock;
		this.enabled = simulator == null ? embedded : simulator;
	}

	public boolean enabled() {
		return this.enabled;
	}

	/** How the played call ends. */
	public enum Ending {

		ANSWERED, MISSED, RINGING

	}

	/**
	 * Plays an incoming call from a number to a line; answers the call's id. The number
	 * may be any format or empty (a hidden number).
	 */
	public long play(String line, @Nullable String caller, Ending ending, Duration after) {
		if (!this.enabled) {
			throw new IllegalStateException("The call simulator is off (klinika.telephony.simulator)");
		}
		String id = "sim-" + UUID.randomUUID();
		long call = this.calls.apply(event(id, CallEvent.Kind.RINGING, line, caller, null)).call();
		if (ending != Ending.RINGING) {
			this.later.schedule(() -> finish(id, line, caller, ending), after.toMillis(), TimeUnit.MILLISECONDS);
		}
		return call;
	}

	private void finish(String id, String line, @Nullable String caller, Ending ending) {
		try {
			if (ending == Ending.ANSWERED) {
				this.calls.apply(event(id, CallEvent.Kind.ANSWERED, line, caller, "101"));
			}
			this.calls.apply(event(id, ending == Ending.ANSWERED ? CallEvent.Kind.ENDED : CallEvent.Kind.MISSED, line,
					caller, null));
		}
		catch (RuntimeException ex) {
			log.warn("The simulated call {} could not finish: {}", id, ex.toString());
		}
	}

	private CallEvent event(String id, CallEvent.Kind kind, String line, @Nullable String caller,
			@Nullable String employee) {
		return new CallEvent("simulator", id + ":" + kind, id, kind, this.clock.instant(), CallEvent.Direction.IN,
				caller, line, employee, null);
	}

	@Override
	public void destroy() {
		this.later.shutdownNow();
	}

}
