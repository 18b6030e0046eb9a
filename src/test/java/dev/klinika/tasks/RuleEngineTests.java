package dev.klinika.tasks;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.klinika.security.Role;
import dev.klinika.tasks.Automation.Action;
import dev.klinika.tasks.Automation.ActionType;
import dev.klinika.tasks.Automation.Conditions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules' logic on its own: conditions and due times, with the patient's facts stated.
 */
class RuleEngineTests {

	static final Conditions ANY = new Conditions(null, null, null, null, null, null, null);

	@Test
	void emptyConditionsTakeEveryVisit() {
		assertThat(RuleEngine.matches(ANY, 7, null, facts(Set.of(), null, false))).isTrue();
		assertThat(RuleEngine.matches(new Conditions(List.of(), List.of(), " ", null, null, null, null), 7, 3L,
				facts(Set.of(), null, false)))
			.isTrue();
	}

	@Test
	void branchAndCategoryNarrowTheRule() {
		Conditions some = new Conditions(List.of(3L), List.of(1L, 2L), null, null, null, null, null);
		assertThat(RuleEngine.matches(some, 2, 3L, facts(Set.of(), null, false))).isTrue();
		assertThat(RuleEngine.matches(some, 5, 3L, facts(Set.of(), null, false))).isFalse();
		assertThat(RuleEngine.matches(some, 2, 4L, facts(Set.of(), null, false))).isFalse();
		assertThat(RuleEngine.matches(some, 2, null, facts(Set.of(), null, false))).as("a service without a category")
			.isFalse();
		assertThat(RuleEngine.within(List.of(1L), null)).as("a lead of no branch").isFalse();
		assertThat(RuleEngine.within(null, null)).isTrue();
	}

	@Test
	void tagAgeAndBookingsAheadAreAskedOfTheFacts() {
		Conditions vip = new Conditions(null, null, " VIP ", null, null, null, null);
		assertThat(RuleEngine.matches(vip, 1, null, facts(Set.of("VIP"), null, false))).isTrue();
		assertThat(RuleEngine.matches(vip, 1, null, facts(Set.of("other"), null, false))).isFalse();
		Conditions adults = new Conditions(null, null, null, 18, 65, null, null);
		assertThat(RuleEngine.matches(adults, 1, null, facts(Set.of(), 18, false))).isTrue();
		assertThat(RuleEngine.matches(adults, 1, null, facts(Set.of(), 65, false))).isTrue();
		assertThat(RuleEngine.matches(adults, 1, null, facts(Set.of(), 17, false))).isFalse();
		assertThat(RuleEngine.matches(adults, 1, null, facts(Set.of(), 66, false))).isFalse();
		assertThat(RuleEngine.matches(adults, 1, null, facts(Set.of(), null, false))).as("no birth date").isFalse();
		Conditions notBooked = new Conditions(null, null, null, null, null, true, null);
		assertThat(RuleEngine.matches(notBooked, 1, null, facts(Set.of(), null, false))).isTrue();
		assertThat(RuleEngine.matches(notBooked, 1, null, facts(Set.of(), null, true))).isFalse();
	}

	@Test
	void aRecallIsDueAtTenInTheBranchsZoneTheLeadDaysBeforeTheRepeatFallsDue() {
		Action recall = new Action(ActionType.TASK, TaskKind.BOOK, "Записать", Role.ADMIN, null, null, 14, null, null,
				null);
		Instant visit = Instant.parse("2026-03-10T08:30:00Z");
		Instant now = Instant.parse("2026-03-10T09:00:00Z");
		// Berlin moves its clocks on 29 March: 10:00 on 26 September is 08:00 UTC, not
		// 09:00.
		assertThat(RuleEngine.dueOf(recall, visit, ZoneId.of("Europe/Berlin"), Optional.of(Period.ofMonths(7)), now))
			.isEqualTo(Instant.parse("2026-09-26T08:00:00Z"));
		assertThat(
				RuleEngine.dueOf(recall, visit, ZoneId.of("Asia/Yekaterinburg"), Optional.of(Period.ofMonths(6)), now))
			.isEqualTo(Instant.parse("2026-08-27T05:00:00Z"));
		Action call = new Action(ActionType.TASK, TaskKind.CALL_BACK, "Позвонить", Role.ADMIN, 15, 1, null, null, null,
				null);
		assertThat(RuleEngine.dueOf(call, visit, ZoneId.of("Europe/Moscow"), Optional.empty(), now))
			.isEqualTo(now.plusSeconds(24 * 3600 + 15 * 60));
		assertThat(RuleEngine.dueOf(recall, visit, ZoneId.of("Europe/Moscow"), Optional.empty(), now))
			.as("no repeat interval: no recall date, the delay counts")
			.isEqualTo(now);
	}

	private static RuleEngine.Facts facts(Set<String> tags, @Nullable Integer age, boolean bookedAhead) {
		return new RuleEngine.Facts() {

			@Override
			public boolean tagged(String tag) {
				return tags.contains(tag);
			}

			@Override
			public @Nullable Integer age() {
				return age;
			}

			@Override
			public boolean bookedAhead(boolean sameService) {
				return bookedAhead;
			}
		};
	}

}
