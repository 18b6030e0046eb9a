package dev.klinika.workspace;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

import dev.klinika.security.Colleagues;

/**
 * Who did something, as staff read it (templates call {@code @people.of(login)}): a
 * colleague's full name, "автоматически" for the system's, the demo's and the PBX's own
 * work, the login itself only when it is nobody's any more. Names are kept a minute, so
 * that a list of fifty rows asks the database once per person.
 */
@Component("people")
class PeopleNames {

	/** Actors that are no person: work the system, the demo, rules and the PBX did. */
	static final Set<String> AUTOMATIC = Set.of("system", "demo", "rules", "callback", "pbx", "automation");

	private static final Duration KEEP = Duration.ofMinutes(1);

	private record Known(@Nullable String name, Instant until) {
	}

	private final Colleagues colleagues;

	private final MessageSource messages;

	private final Map<String, Known> known = new ConcurrentHashMap<>();

	PeopleNames(Colleagues colleagues, MessageSource messages) {
		this.colleagues = colleagues;
		this.messages = messages;
	}

	public String of(@Nullable String login) {
		if (login == null || login.isBlank() || AUTOMATIC.contains(login)) {
			return this.messages.getMessage("timeline.bySystem", null, LocaleContextHolder.getLocale());
		}
		Instant now = Instant.now();
		Known found = this.known.get(login);
		if (found == null || found.until().isBefore(now)) {
			if (this.known.size() > 10_000) {
				this.known.clear();
			}
			found = new Known(this.colleagues.names(Set.of(login)).get(login), now.plus(KEEP));
			this.known.put(login, found);
		}
		return found.name() != null ? found.name() : login;
	}

}
