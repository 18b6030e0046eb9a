package dev.klinika.workspace;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.klinika.DatabaseNotifications;
import dev.klinika.security.AccessRules;
import dev.klinika.security.CurrentUser;
import dev.klinika.security.KlinikaUser;
import dev.klinika.tasks.TaskQueries;
import dev.klinika.telephony.CallerCard;

/**
 * One event stream per open page ({@code /workspace/events}) for everything the top bar
 * shows live: the task counters (recounted when any node changes tasks, at most every 300
 * ms), the caller pop-up (a call ringing in the login's branches) and news that leads
 * changed (an open leads board redraws). One stream, not one per feature: a browser opens
 * at most six connections to a server, and two open tabs of the schedule would otherwise
 * starve.
 */
@Controller
class LiveEvents implements SmartLifecycle {

	private final Map<SseEmitter, KlinikaUser> open = new ConcurrentHashMap<>();

	private final TaskQueries tasks;

	private final CallerCard cards;

	private final CurrentUser currentUser;

	private final JsonMapper json;

	private final AtomicBoolean recountPending = new AtomicBoolean();

	/** Made on start and shut on stop: test contexts are paused and resumed. */
	private volatile ScheduledExecutorService worker = newWorker();

	private volatile boolean running;

	private final AccessRules accessRules;

	LiveEvents(TaskQueries tasks, CallerCard cards, CurrentUser currentUser, JsonMapper json,
			DatabaseNotifications notifications, AccessRules accessRules) {
		this.accessRules = accessRules;
		this.tasks = tasks;
		this.cards = cards;
		this.currentUser = currentUser;
		this.json = json;
		notifications.listen("klinika_tasks", payload -> tasksChanged());
		notifications.listen("klinika_calls", this::ringing);
		notifications.listen("klinika_leads", payload -> leadsChanged());
	}

	private final AtomicBoolean leadsPending = new AtomicBoolean();

	/**
	 * Leads changed on some node: the pages that may show the board hear of it, once for
	 * a burst (an open board redraws itself).
	 */
	void leadsChanged() {
		once(this.leadsPending, 500, () -> this.open.forEach((emitter, user) -> {
			if (this.accessRules.allows(user.roles(), HttpMethod.GET, "/leads")) {
				send(emitter, "leads", "{}");
			}
		}));
	}

	/**
	 * Runs the work after the delay, once for every change that comes before it runs; not
	 * at all when no page is open.
	 */
	private void once(AtomicBoolean pending, long millis, Runnable work) {
		if (this.open.isEmpty() || !pending.compareAndSet(false, true)) {
			return;
		}
		try {
			this.worker.schedule(() -> {
				pending.set(false);
				work.run();
			}, millis, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException stopping) {
			pending.set(false);
		}
	}

	/**
	 * Whether a login sees the caller pop-up: whoever the permission matrix lets work
	 * with calls.
	 */
	public boolean receivesCalls(KlinikaUser user) {
		return this.accessRules.allows(user.roles(), HttpMethod.GET, "/telephony/calls");
	}

	@GetMapping("/workspace/events")
	SseEmitter subscribe() {
		KlinikaUser me = this.currentUser.get().orElseThrow();
		SseEmitter emitter = new SseEmitter(30 * 60 * 1000L);
		this.open.put(emitter, me);
		emitter.onCompletion(() -> this.open.remove(emitter));
		emitter.onTimeout(() -> this.open.remove(emitter));
		emitter.onError(error -> this.open.remove(emitter));
		send(emitter, "ready", "{}");
		counters(emitter, me);
		return emitter;
	}

	/** Recounts for every open page, once for a burst of changes. */
	void tasksChanged() {
		once(this.recountPending, 300, () -> this.open.forEach(this::counters));
	}

	/** A call rang: payload "branch:call" (branch 0 when no branch owns the line). */
	void ringing(String payload) {
		if (this.open.isEmpty()) {
			return;
		}
		try {
			this.worker.execute(() -> pushCall(payload));
		}
		catch (RejectedExecutionException stopping) {
			// the node is stopping
		}
	}

	private void pushCall(String payload) {
		String[] parts = payload.split(":");
		if (parts.length != 2) {
			return;
		}
		long branch = Long.parseLong(parts[0]);
		var card = this.cards.of(Long.parseLong(parts[1]));
		if (card.isEmpty()) {
			return;
		}
		String data = this.json.writeValueAsString(card.get());
		this.open.forEach((emitter, user) -> {
			if (receivesCalls(user) && (branch == 0 || user.scope().includes(branch))) {
				send(emitter, "call", data);
			}
		});
	}

	private void counters(SseEmitter emitter, KlinikaUser user) {
		TaskQueries.Counters counters = this.tasks.counters(user);
		send(emitter, "counters", "{\"open\":" + counters.open() + ",\"overdue\":" + counters.overdue() + "}");
	}

	private void send(SseEmitter emitter, String name, String data) {
		try {
			emitter.send(SseEmitter.event().name(name).data(data));
		}
		catch (IOException | IllegalStateException ex) {
			this.open.remove(emitter);
			emitter.completeWithError(ex);
		}
	}

	@Override
	public void start() {
		if (this.worker.isShutdown()) {
			this.worker = newWorker();
		}
		this.running = true;
	}

	/**
	 * Closes the streams before the web server's graceful shutdown would wait for them.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.open.keySet().forEach(SseEmitter::complete);
		this.open.clear();
		this.worker.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private static ScheduledExecutorService newWorker() {
		return Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, "live-events");
			thread.setDaemon(true);
			return thread;
		});
	}

}
