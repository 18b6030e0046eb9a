package dev.klinika.tasks.web;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.klinika.DatabaseNotifications;
import dev.klinika.security.CurrentUser;
import dev.klinika.security.KlinikaUser;
import dev.klinika.tasks.TaskQueries;

/**
 * The top bar's task counters, live: any change of tasks on any node (a database trigger
 * notifies {@code klinika_tasks} on commit) makes every open page recount its login's
 * open and overdue tasks, at most once a second per node however many changes arrive.
 */
@Controller
class TaskStream implements SmartLifecycle {

	static final long TIMEOUT = 30 * 60 * 1000L;

	private final Map<SseEmitter, KlinikaUser> open = new ConcurrentHashMap<>();

	private final TaskQueries queries;

	private final CurrentUser currentUser;

	private final AtomicBoolean pending = new AtomicBoolean();

	/**
	 * Made on start and shut on stop: a test context is paused and resumed between test
	 * classes.
	 */
	private volatile java.util.concurrent.ScheduledExecutorService recount = newRecount();

	private volatile boolean running;

	TaskStream(TaskQueries queries, CurrentUser currentUser, DatabaseNotifications notifications) {
		this.queries = queries;
		this.currentUser = currentUser;
		notifications.listen("klinika_tasks", payload -> changed());
	}

	@GetMapping("/tasks/events")
	SseEmitter subscribe() throws IOException {
		KlinikaUser me = this.currentUser.get().orElseThrow();
		SseEmitter emitter = new SseEmitter(TIMEOUT);
		this.open.put(emitter, me);
		emitter.onCompletion(() -> this.open.remove(emitter));
		emitter.onTimeout(() -> this.open.remove(emitter));
		emitter.onError(error -> this.open.remove(emitter));
		send(emitter, me);
		return emitter;
	}

	/**
	 * Recounts for every open page, once for a burst of changes, on a thread of its own:
	 * the notification thread is shared with the schedule's and must never wait.
	 */
	void changed() {
		if (this.open.isEmpty() || !this.pending.compareAndSet(false, true)) {
			return;
		}
		try {
			this.recount.schedule(() -> {
				this.pending.set(false);
				this.open.forEach(this::send);
			}, 300, java.util.concurrent.TimeUnit.MILLISECONDS);
		}
		catch (java.util.concurrent.RejectedExecutionException stopping) {
			this.pending.set(false);
		}
	}

	private void send(SseEmitter emitter, KlinikaUser user) {
		try {
			TaskQueries.Counters counters = this.queries.counters(user);
			emitter.send(SseEmitter.event()
				.name("counters")
				.data("{\"open\":" + counters.open() + ",\"overdue\":" + counters.overdue() + "}"));
		}
		catch (IOException | IllegalStateException ex) {
			this.open.remove(emitter);
			emitter.completeWithError(ex);
		}
	}

	@Override
	public void start() {
		if (this.recount.isShutdown()) {
			this.recount = newRecount();
		}
		this.running = true;
	}

	private static java.util.concurrent.ScheduledExecutorService newRecount() {
		return java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, "task-counters");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Closes the streams before the web server's graceful shutdown would wait for them.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.open.keySet().forEach(SseEmitter::complete);
		this.open.clear();
		this.recount.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
