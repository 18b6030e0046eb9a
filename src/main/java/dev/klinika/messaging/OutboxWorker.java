package dev.klinika.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.klinika.DatabaseNotifications;

/**
 * The node's senders: threads that claim due messages, hand them to their channel and
 * record the outcome. They sleep until a new message is committed on any node (NOTIFY
 * {@code klinika_outbox}) or a second passes, so retries and scheduled reminders go out
 * on time.
 */
@Component
class OutboxWorker implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);

	private final Outbox outbox;

	private final Senders senders;

	private final Fallbacks fallbacks;

	private final MessagingProperties properties;

	private final MeterRegistry meters;

	private final boolean enabled;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition wake = this.lock.newCondition();

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean running;

	OutboxWorker(Outbox outbox, Senders senders, Fallbacks fallbacks, MessagingProperties properties,
			MeterRegistry meters, DatabaseNotifications notifications,
			@Value("${klinika.messaging.worker.enabled:true}") boolean enabled) {
		this.outbox = outbox;
		this.senders = senders;
		this.fallbacks = fallbacks;
		this.properties = properties;
		this.meters = meters;
		this.enabled = enabled;
		notifications.listen("klinika_outbox", payload -> nudge());
	}

	/** Wakes the sleeping threads: something may be due. */
	void nudge() {
		this.lock.lock();
		try {
			this.wake.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void start() {
		if (!this.enabled) {
			return;
		}
		this.running = true;
		for (int i = 0; i < this.properties.workers(); i++) {
			Thread thread = new Thread(this::loop, "outbox-" + (i + 1));
			thread.setDaemon(true);
			thread.start();
			this.threads.add(thread);
		}
	}

	@Override
	public void stop() {
		this.running = false;
		nudge();
		for (Thread thread : this.threads) {
			try {
				thread.join(10_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.threads.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void loop() {
		while (this.running) {
			try {
				if (sendDue() == 0) {
					sleep();
				}
			}
			catch (RuntimeException ex) {
				log.warn("Sending messages failed, trying again in a second: {}", ex.getMessage());
				sleep();
			}
		}
	}

	/**
	 * Claims one batch, sends it and records each outcome as it comes; returns how many
	 * were claimed.
	 */
	int sendDue() {
		List<Outbox.Claimed> batch = this.outbox.claim(this.properties.batch());
		if (batch.isEmpty()) {
			return 0;
		}
		for (Outbox.Claimed message : batch) {
			// Each result is recorded as soon as the provider answers: after a crash,
			// only
			// the message in flight can go out twice.
			Outbox.Result result = send(message);
			this.outbox.record(List.of(result));
			String outcome = result.providerIds() != null ? "sent"
					: result.skipped() != null ? "skipped" : result.failure().permanent() ? "refused" : "retry";
			this.meters
				.counter("klinika.messages", "channel", String.valueOf(result.message().channel()), "outcome", outcome)
				.increment();
			if (result.failure() != null
					&& (result.failure().permanent() || result.message().attempts() >= this.properties.maxAttempts())) {
				this.fallbacks.after(result.message().id());
			}
		}
		return batch.size();
	}

	private Outbox.Result send(Outbox.Claimed message) {
		if (message.channel() == null || message.recipient() == null) {
			return Outbox.Result.skipped(message, "NO_CHANNEL");
		}
		var sender = this.senders.of(message.channel());
		if (sender.isEmpty()) {
			return Outbox.Result.failed(message, new SendFailure("CHANNEL_OFF " + message.channel(), true));
		}
		try {
			var accepted = sender.get()
				.send(new Sender.Outgoing(message.id(), message.recipient(), message.subject(), message.body()));
			return Outbox.Result.sent(message, accepted.providerIds());
		}
		catch (SendFailure failure) {
			return Outbox.Result.failed(message, failure);
		}
		catch (RuntimeException ex) {
			return Outbox.Result.failed(message,
					new SendFailure(ex.getClass().getSimpleName() + ": " + ex.getMessage(), false));
		}
	}

	private void sleep() {
		this.lock.lock();
		try {
			if (this.running) {
				this.wake.await(1, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
		finally {
			this.lock.unlock();
		}
	}

}
