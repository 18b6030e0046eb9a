package dev.klinika.scheduling;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.klinika.security.CurrentUser;

/**
 * Server-sent events for open day grids: when an appointment of a branch is booked,
 * moved, cancelled or changes state on any node, every grid of that branch hears
 * "changed" within a moment and redraws itself. The news arrives through
 * {@link ScheduleNotifications} (PostgreSQL LISTEN/NOTIFY).
 */
@Controller
class ScheduleStream implements org.springframework.context.SmartLifecycle {

	/** An emitter lives this long; the browser's EventSource reconnects by itself. */
	static final long TIMEOUT = 30 * 60 * 1000L;

	private final Map<Long, List<SseEmitter>> byBranch = new ConcurrentHashMap<>();

	private final CurrentUser currentUser;

	private volatile boolean running;

	ScheduleStream(CurrentUser currentUser) {
		this.currentUser = currentUser;
	}

	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Closes every open stream before the web server's graceful shutdown, which would
	 * otherwise wait for them (they live half an hour); the browsers reconnect to another
	 * node or to this one after its restart.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.byBranch.values().forEach(emitters -> emitters.forEach(SseEmitter::complete));
		this.byBranch.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@GetMapping("/scheduling/events")
	SseEmitter subscribe(@RequestParam long branch) throws IOException {
		if (!this.currentUser.scope().includes(branch)) {
			throw new java.util.NoSuchElementException("Branch " + branch + " is outside the login's branches");
		}
		SseEmitter emitter = new SseEmitter(TIMEOUT);
		List<SseEmitter> emitters = this.byBranch.computeIfAbsent(branch, key -> new CopyOnWriteArrayList<>());
		emitters.add(emitter);
		emitter.onCompletion(() -> emitters.remove(emitter));
		emitter.onTimeout(() -> emitters.remove(emitter));
		emitter.onError(error -> emitters.remove(emitter));
		emitter.send(SseEmitter.event().name("ready").data("ready"));
		return emitter;
	}

	/**
	 * An appointment of the branch changed (on any node): every open grid of it redraws.
	 */
	void changed(long branch, long appointment) {
		for (SseEmitter emitter : this.byBranch.getOrDefault(branch, List.of())) {
			try {
				emitter.send(SseEmitter.event().name("changed").data(String.valueOf(appointment)));
			}
			catch (IOException | IllegalStateException ex) {
				emitter.completeWithError(ex);
			}
		}
	}

}
