package dev.klinika.telephony.web;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.klinika.DatabaseNotifications;
import dev.klinika.security.BranchScope;
import dev.klinika.security.CurrentUser;
import dev.klinika.security.Role;
import dev.klinika.telephony.CallerCard;

/**
 * The caller pop-up's stream: when a call rings (NOTIFY {@code klinika_calls} from any
 * node, on commit), the caller's card is read once and sent to every open screen of the
 * reception in that branch (and to all for a line no branch owns).
 */
@Controller
public class CallStream implements SmartLifecycle {

	private final Map<SseEmitter, BranchScope> open = new ConcurrentHashMap<>();

	private final CallerCard cards;

	private final CurrentUser currentUser;

	private final JsonMapper json;

	private volatile ExecutorService sender = newSender();

	private volatile boolean running;

	CallStream(CallerCard cards, CurrentUser currentUser, JsonMapper json, DatabaseNotifications notifications) {
		this.cards = cards;
		this.currentUser = currentUser;
		this.json = json;
		notifications.listen("klinika_calls", this::ringing);
	}

	/** Whether the layout opens the stream for this login: the reception's roles. */
	public boolean receives(dev.klinika.security.KlinikaUser user) {
		return user.has(Role.ADMIN) || user.has(Role.SENIOR_ADMIN) || user.has(Role.MANAGER) || user.has(Role.OWNER);
	}

	@GetMapping("/telephony/events")
	SseEmitter subscribe() throws IOException {
		SseEmitter emitter = new SseEmitter(30 * 60 * 1000L);
		this.open.put(emitter, this.currentUser.scope());
		emitter.onCompletion(() -> this.open.remove(emitter));
		emitter.onTimeout(() -> this.open.remove(emitter));
		emitter.onError(error -> this.open.remove(emitter));
		emitter.send(SseEmitter.event().name("ready").data("{}"));
		return emitter;
	}

	/** A call rang: payload "branch:call" (branch 0 when no branch owns the line). */
	void ringing(String payload) {
		if (this.open.isEmpty()) {
			return;
		}
		try {
			this.sender.execute(() -> push(payload));
		}
		catch (RejectedExecutionException stopping) {
			// the node is stopping
		}
	}

	private void push(String payload) {
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
		this.open.forEach((emitter, scope) -> {
			if (branch == 0 || scope.includes(branch)) {
				try {
					emitter.send(SseEmitter.event().name("call").data(data));
				}
				catch (IOException | IllegalStateException ex) {
					this.open.remove(emitter);
				}
			}
		});
	}

	@Override
	public void start() {
		if (this.sender.isShutdown()) {
			this.sender = newSender();
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.open.keySet().forEach(SseEmitter::complete);
		this.open.clear();
		this.sender.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private static ExecutorService newSender() {
		return Executors.newSingleThreadExecutor(runnable -> {
			Thread thread = new Thread(runnable, "caller-popup");
			thread.setDaemon(true);
			return thread;
		});
	}

}
