package dev.klinika.telephony;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Settles ended calls once they have been quiet for
 * {@code klinika.telephony.settle-after}: every second, each in its own transaction, the
 * earliest first. Several nodes may run it: a call being settled elsewhere is skipped.
 */
@Component
class CallSettling implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(CallSettling.class);

	private final Calls calls;

	private final TelephonyProperties properties;

	private final boolean enabled;

	private volatile ScheduledExecutorService timer;

	CallSettling(Calls calls, TelephonyProperties properties,
			@Value("${klinika.telephony.settling.enabled:true}") boolean enabled) {
		this.calls = calls;
		this.properties = properties;
		this.enabled = enabled;
	}

	/** Settles what is due now; returns how many calls it settled. */
	int settleDue() {
		int settled = 0;
		while (true) {
			List<Long> due = this.calls.unsettled(this.properties.settleAfter(), 200);
			int round = 0;
			for (long id : due) {
				// Each in its own transaction (Calls is transactional).
				round += this.calls.settle(id) ? 1 : 0;
			}
			settled += round;
			if (due.size() < 200 || round == 0) {
				return settled;
			}
		}
	}

	@Override
	public void start() {
		if (!this.enabled) {
			return;
		}
		this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, "call-settling");
			thread.setDaemon(true);
			return thread;
		});
		this.timer.scheduleWithFixedDelay(() -> {
			try {
				settleDue();
			}
			catch (RuntimeException ex) {
				log.warn("Settling calls failed, trying again in a second: {}", ex.getMessage());
			}
		}, 1, 1, TimeUnit.SECONDS);
	}

	@Override
	public void stop() {
		ScheduledExecutorService running = this.timer;
		if (running != null) {
			running.shutdown();
			try {
				running.awaitTermination(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.timer = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.timer != null;
	}

}
