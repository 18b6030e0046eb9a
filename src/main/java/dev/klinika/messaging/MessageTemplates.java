package dev.klinika.messaging;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;

import dev.klinika.shared.ConcurrentChange;

/**
 * What each message says, per event, channel and language. Placeholders in braces are
 * filled from the appointment; a template that names one Klinika does not know is refused
 * on save, so that no patient ever reads "{doctor}".
 */
@Service
@Transactional
class MessageTemplates {

	/** Every placeholder a template may use. */
	public static final List<String> PLACEHOLDERS = List.of("name", "fullName", "date", "time", "staff", "service",
			"branch", "address", "link", "clinic", "package", "left", "next");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}\\s]{0,40})\\}");

	/**
	 * Anything in braces, doubled braces, or a lone brace: all must be known
	 * placeholders.
	 */
	private static final Pattern BRACED = Pattern.compile("\\{+[^{}\\s]{0,40}\\}+|[{}]");

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final CurrentUser currentUser;

	MessageTemplates(JdbcClient jdbc, AuditLog audit, CurrentUser currentUser) {
		this.jdbc = jdbc;
		this.audit = audit;
		this.currentUser = currentUser;
	}

	/** A template as stored. */
	public record Template(long id, String event, ChannelKind channel, String locale, @Nullable String subject,
			String body, int version) {
	}

	@Transactional(readOnly = true)
	public List<Template> all() {
		return this.jdbc.sql("""
				select id, event, channel, locale, subject, body, version from message_template
				 order by event, channel, locale
				""").query(Template.class).list();
	}

	@Transactional(readOnly = true)
	public Optional<Template> find(long id) {
		return this.jdbc
			.sql("select id, event, channel, locale, subject, body, version from message_template where id = :id")
			.param("id", id)
			.query(Template.class)
			.optional();
	}

	/**
	 * The templates of every event, channel and language, for rendering many messages at
	 * once.
	 */
	@Transactional(readOnly = true)
	public Map<String, Template> byKey() {
		Map<String, Template> all = new java.util.HashMap<>();
		for (Template template : all()) {
			all.put(key(template.event(), template.channel(), template.locale()), template);
		}
		return all;
	}

	static String key(String event, ChannelKind channel, String locale) {
		return event + "/" + channel + "/" + locale;
	}

	/**
	 * Saves new words; refuses unknown placeholders (naming them), an empty body, and a
	 * template someone else changed meanwhile.
	 */
	public Template save(long id, @Nullable String subject, String body, int version) {
		String text = body == null ? "" : body.strip();
		if (text.isEmpty() || text.length() > 4000) {
			throw new TemplateRefused("BODY", Set.of());
		}
		Set<String> unknown = unknown(text + " " + (subject == null ? "" : subject));
		if (!unknown.isEmpty()) {
			throw new TemplateRefused("UNKNOWN_PLACEHOLDER", unknown);
		}
		String cleanSubject = subject == null || subject.isBlank() ? null : subject.strip();
		if (cleanSubject != null && cleanSubject.length() > 200) {
			throw new TemplateRefused("SUBJECT", Set.of());
		}
		int updated = this.jdbc.sql("""
				update message_template set subject = :subject, body = :body, version = version + 1,
				       updated_at = now(), updated_by = :by
				 where id = :id and version = :version
				""")
			.param("subject", cleanSubject)
			.param("body", text)
			.param("by", this.currentUser.actor())
			.param("id", id)
			.param("version", version)
			.update();
		if (updated == 0) {
			throw new ConcurrentChange("message template " + id + " was changed by someone else");
		}
		this.audit.record("MESSAGE_TEMPLATE_CHANGED", "message_template", id, null);
		return find(id).orElseThrow();
	}

	/**
	 * The placeholders of a text that Klinika does not know, in the order they appear.
	 */
	public static Set<String> unknown(String text) {
		Set<String> unknown = new LinkedHashSet<>();
		Matcher matcher = BRACED.matcher(text);
		while (matcher.find()) {
			Matcher placeholder = PLACEHOLDER.matcher(matcher.group());
			if (!placeholder.matches() || !PLACEHOLDERS.contains(placeholder.group(1))) {
				unknown.add(matcher.group());
			}
		}
		return unknown;
	}

	/**
	 * The text with each known placeholder replaced by its value (empty when missing).
	 */
	public static String render(String text, Map<String, String> values) {
		Matcher matcher = PLACEHOLDER.matcher(text);
		StringBuilder out = new StringBuilder(text.length() + 64);
		while (matcher.find()) {
			String name = matcher.group(1);
			String value = PLACEHOLDERS.contains(name) ? values.getOrDefault(name, "") : matcher.group();
			// "Иванова М.П." before a full stop: one stop, not two.
			if (value.endsWith(".") && text.startsWith(".", matcher.end())) {
				value = value.substring(0, value.length() - 1);
			}
			matcher.appendReplacement(out, Matcher.quoteReplacement(value));
		}
		matcher.appendTail(out);
		return out.toString();
	}

	/** A template refused: which rule, and the unknown placeholders if that was it. */
	public static class TemplateRefused extends RuntimeException {

		private final String reason;

		private final Set<String> unknown;

		TemplateRefused(String reason, Set<String> unknown) {
			super(reason + " " + unknown);
			this.reason = reason;
			this.unknown = Set.copyOf(unknown);
		}

		public String reason() {
			return this.reason;
		}

		public String unknown() {
			return String.join(", ", new java.util.TreeSet<>(this.unknown));
		}

	}

}
