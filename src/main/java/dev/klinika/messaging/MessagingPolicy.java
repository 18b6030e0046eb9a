package dev.klinika.messaging;

import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;
import dev.klinika.shared.ConcurrentChange;

/**
 * The clinic's sending policy and reminder rules: quiet hours, the order of channels to
 * try, the language, whether a booking is acknowledged, and when reminders go.
 */
@Service
@Transactional
class MessagingPolicy {

	private final JdbcClient jdbc;

	private final AuditLog audit;

	MessagingPolicy(JdbcClient jdbc, AuditLog audit) {
		this.jdbc = jdbc;
		this.audit = audit;
	}

	/** The policy as stored. */
	public record Policy(LocalTime quietFrom, LocalTime quietTo, List<ChannelKind> channels, String locale,
			boolean sendBooked, int version) {

		/** Whether a local time falls in the quiet hours (which may span midnight). */
		public boolean quiet(LocalTime time) {
			if (this.quietFrom.equals(this.quietTo)) {
				return false;
			}
			return this.quietFrom.isBefore(this.quietTo) ? !time.isBefore(this.quietFrom) && time.isBefore(this.quietTo)
					: !time.isBefore(this.quietFrom) || time.isBefore(this.quietTo);
		}

	}

	/** When a reminder goes: the day before at a time, or minutes before. */
	public record ReminderRule(long id, String kind, @Nullable LocalTime atTime, @Nullable Integer minutesBefore,
			@Nullable Long categoryId, boolean enabled) {
	}

	@Transactional(readOnly = true)
	public Policy policy() {
		return this.jdbc
			.sql("""
					select quiet_from, quiet_to, channel_order, locale, send_booked, version from messaging_policy where id = 1
					""")
			.query((rs, n) -> new Policy(rs.getObject("quiet_from", LocalTime.class),
					rs.getObject("quiet_to", LocalTime.class), channels(rs.getString("channel_order")),
					rs.getString("locale"), rs.getBoolean("send_booked"), rs.getInt("version")))
			.single();
	}

	static List<ChannelKind> channels(String order) {
		List<ChannelKind> channels = new ArrayList<>();
		for (String name : order.split(",")) {
			channels.add(ChannelKind.valueOf(name.trim()));
		}
		return channels;
	}

	/**
	 * Saves the policy; the channels are an order of distinct known channels, at least
	 * one.
	 */
	public Policy save(LocalTime quietFrom, LocalTime quietTo, List<String> channelOrder, String locale,
			boolean sendBooked, int version) {
		Set<ChannelKind> channels = new LinkedHashSet<>();
		for (String name : channelOrder) {
			if (Arrays.stream(ChannelKind.values()).noneMatch(kind -> kind.name().equals(name))) {
				throw new IllegalArgumentException("Unknown channel " + name);
			}
			channels.add(ChannelKind.valueOf(name));
		}
		if (channels.isEmpty()) {
			throw new IllegalArgumentException("At least one channel");
		}
		if (!List.of("ru", "en").contains(locale)) {
			throw new IllegalArgumentException("Unknown language " + locale);
		}
		int updated = this.jdbc
			.sql("""
					update messaging_policy set quiet_from = :from, quiet_to = :to, channel_order = :order, locale = :locale,
					       send_booked = :booked, version = version + 1
					 where id = 1 and version = :version
					""")
			.param("from", quietFrom)
			.param("to", quietTo)
			.param("order", String.join(",", channels.stream().map(Enum::name).toList()))
			.param("locale", locale)
			.param("booked", sendBooked)
			.param("version", version)
			.update();
		if (updated == 0) {
			throw new ConcurrentChange("the messaging policy was changed by someone else");
		}
		this.audit.record("MESSAGING_POLICY_CHANGED", "messaging_policy", 1L, null);
		return policy();
	}

	@Transactional(readOnly = true)
	public List<ReminderRule> rules() {
		return this.jdbc.sql("""
				select id, kind, at_time, minutes_before, category_id, enabled from reminder_rule order by id
				""").query(ReminderRule.class).list();
	}

	/** Adds a rule: the day before at a time, or 15 minutes to 7 days before. */
	public long addRule(String kind, @Nullable LocalTime atTime, @Nullable Integer minutesBefore,
			@Nullable Long categoryId) {
		boolean dayBefore = "DAY_BEFORE".equals(kind);
		if (dayBefore ? atTime == null : !"MINUTES_BEFORE".equals(kind) || minutesBefore == null || minutesBefore < 15
				|| minutesBefore > 10080) {
			throw new IllegalArgumentException("Not a reminder rule: " + kind + " " + atTime + " " + minutesBefore);
		}
		long id = this.jdbc
			.sql("""
					insert into reminder_rule (kind, at_time, minutes_before, category_id) values (:kind, :at, :minutes, :category)
					returning id
					""")
			.param("kind", kind)
			.param("at", dayBefore ? atTime : null)
			.param("minutes", dayBefore ? null : minutesBefore)
			.param("category", categoryId)
			.query(Long.class)
			.single();
		this.audit.record("REMINDER_RULE_ADDED", "reminder_rule", id, kind);
		return id;
	}

	public void enableRule(long id, boolean enabled) {
		this.jdbc.sql("update reminder_rule set enabled = :enabled where id = :id")
			.param("enabled", enabled)
			.param("id", id)
			.update();
		this.audit.record(enabled ? "REMINDER_RULE_ON" : "REMINDER_RULE_OFF", "reminder_rule", id, null);
	}

}
