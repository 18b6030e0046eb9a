package dev.klinika.patients;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetailsService;

import dev.klinika.KlinikaTest;
import dev.klinika.security.BranchScope;
import dev.klinika.shared.PhoneNumber;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The search box over the demo base plus a few known cards: names with typos, phones,
 * emails, dates.
 */
@KlinikaTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PatientSearchTests {

	@Autowired
	PatientSearch search;

	@Autowired
	PatientManagement patients;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PatientActivity activity;

	@Autowired
	UserDetailsService accounts;

	long branch;

	long otherBranch;

	long mariya;

	long shortName;

	long marina;

	String mariyaPhone;

	@BeforeAll
	void createKnownCards() {
		var owner = this.accounts.loadUserByUsername("owner");
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(owner, null, owner.getAuthorities()));
		this.branch = this.jdbc.sql("select min(id) from branch").query(Long.class).single();
		this.otherBranch = this.jdbc.sql("select max(id) from branch").query(Long.class).single();
		this.mariyaPhone = "+7" + PatientCardTests.uniqueMobile();
		this.mariya = register("Щекотихина", "Мария", "Петровна", LocalDate.of(1987, 2, 28), this.mariyaPhone,
				"mariya.sch@example.ru", this.branch);
		this.marina = register("Щекотихина", "Марина", "Олеговна", LocalDate.of(1990, 7, 1),
				"+7" + PatientCardTests.uniqueMobile(), null, this.otherBranch);
		// A short surname, made up so that no demo card shares it: trigrams miss its
		// one-letter typos.
		this.shortName = register("Жмусов", "Тимофей", null, LocalDate.of(1979, 3, 3),
				"+7" + PatientCardTests.uniqueMobile(), null, this.branch);
		SecurityContextHolder.clearContext();
	}

	@Test
	void findsAShortSurnameWithAnyOneEditInAnyPlace() {
		// Neighbours swapped (first two letters too), a letter replaced (the first too),
		// one lost, one added.
		for (String typed : List.of("мжусов тим", "жумсов тим", "жмусво тим", "шмусов тим", "жмусоф тим", "мусов тим",
				"жмсов тим", "жмусо тим", "жмусовв тим", "ажмусов тим", "жмуссов тим")) {
			assertThat(ids(this.search.search(typed, BranchScope.everything(), 0, 50))).as(typed)
				.contains(this.shortName);
		}
		// Trigrams alone find none of these: the edit is what finds them.
		assertThat(this.jdbc.sql("select similarity('мжусов', 'жмусов') < 0.3").query(Boolean.class).single()).isTrue();
		// X assertThat(PatientSearch.editDistance("мжусов", "жмусов")).isEqualTo(1);
		// X assertThat(PatientSearch.editDistance("жмусов", "жмусов")).isZero();
		// X assertThat(PatientSearch.editDistance("ажмусовв", "жмусов")).isEqualTo(2);
	}

	@Test
	void findsANameDespiteTyposAndMissingLetters() {
		var results = this.search.search("Щекотхина Мар", BranchScope.everything(), 0, 20);
		assertThat(results.what()).isEqualTo(PatientSearch.What.NAME);
		assertThat(ids(results)).contains(this.mariya, this.marina);
		assertThat(ids(this.search.search("щикотихина мария", BranchScope.everything(), 0, 20)).get(0))
			.isEqualTo(this.mariya);
	}

	@Test
	void putsNamesThatStartWithTheQueryFirst() {
		var results = this.search.search("щекотихина мария", BranchScope.everything(), 0, 20);
		assertThat(ids(results).get(0)).isEqualTo(this.mariya);
	}

	@Test
	void findsAPhoneInAnyFormatAndByItsLastDigits() {
		String digits = this.mariyaPhone.substring(2);
		for (String typed : List.of(this.mariyaPhone, "8" + digits, digits,
				"8 (" + digits.substring(0, 3) + ") " + digits.substring(3, 6) + "-" + digits.substring(6))) {
			var results = this.search.search(typed, BranchScope.everything(), 0, 20);
			assertThat(results.what()).as(typed).isEqualTo(PatientSearch.What.PHONE);
			assertThat(ids(results)).as(typed).containsExactly(this.mariya);
		}
		assertThat(ids(this.search.search(digits.substring(6), BranchScope.everything(), 0, 50))).contains(this.mariya);
	}

	@Test
	void ranksTheCardsSharingTheLastDigitsByWhenTheClinicLastDealtWithThem() {
		String mobile = PatientCardTests.uniqueMobile();
		String digits = mobile.substring(mobile.length() - 4);
		// Three cards end in the same four digits: one seen today, one a year ago, one
		// never; whatever their names.
		long never = register("Аааев", "Пётр", null, null, "+7" + mobile.substring(0, 5) + "1" + mobile.substring(6),
				null, this.branch);
		long yearAgo = register("Бббев", "Иван", null, null, "+7" + mobile.substring(0, 5) + "2" + mobile.substring(6),
				null, this.branch);
		long today = register("Яяяев", "Олег", null, null, "+7" + mobile.substring(0, 5) + "3" + mobile.substring(6),
				null, this.branch);
		this.activity.touch(yearAgo, java.time.Instant.now().minus(java.time.Duration.ofDays(365)));
		this.activity.touch(today, java.time.Instant.now());
		// It only moves forward.
		this.activity.touch(today, java.time.Instant.now().minus(java.time.Duration.ofDays(30)));
		List<Long> found = ids(this.search.search(digits, BranchScope.everything(), 0, 500));
		assertThat(found).contains(today, yearAgo, never);
		assertThat(found.indexOf(today)).isLessThan(found.indexOf(yearAgo));
		assertThat(found.indexOf(yearAgo)).isLessThan(found.indexOf(never));
	}

	@Test
	void ranksNamesakesByWhenTheClinicLastDealtWithThem() {
		// Three cards of one made-up surname and given name, alphabetically in the other
		// order than their last visits.
		String surname = "Зюзельева" + (char) ('а' + java.util.concurrent.ThreadLocalRandom.current().nextInt(20));
		long first = register(surname, "Анна", "Алексеевна", null, "+7" + PatientCardTests.uniqueMobile(), null,
				this.branch);
		long second = register(surname, "Анна", "Борисовна", null, "+7" + PatientCardTests.uniqueMobile(), null,
				this.branch);
		long third = register(surname, "Анна", "Викторовна", null, "+7" + PatientCardTests.uniqueMobile(), null,
				this.branch);
		this.activity.touch(third, java.time.Instant.now());
		this.activity.touch(second, java.time.Instant.now().minus(java.time.Duration.ofDays(100)));
		assertThat(ids(this.search.search(surname + " ан", BranchScope.everything(), 0, 20))).containsExactly(third,
				second, first);
		// The surname alone stays alphabetical.
		assertThat(ids(this.search.search(surname, BranchScope.everything(), 0, 20))).containsExactly(first, second,
				third);
	}

	@Test
	void findsAnEmailAndABirthDate() {
		assertThat(ids(this.search.search("Mariya.Sch@example.ru", BranchScope.everything(), 0, 20)))
			.containsExactly(this.mariya);
		assertThat(ids(this.search.search("28.02.1987", BranchScope.everything(), 0, 500))).contains(this.mariya);
		assertThat(this.search.search("1987-02-28", BranchScope.everything(), 0, 500).what())
			.isEqualTo(PatientSearch.What.BIRTH_DATE);
	}

	@Test
	void keepsToTheLoginsBranches() {
		var results = this.search.search("Щекотихина", BranchScope.of(Set.of(this.branch)), 0, 20);
		assertThat(ids(results)).contains(this.mariya).doesNotContain(this.marina);
	}

	@Test
	void pagesAndCountsLargeResults() {
		var first = this.search.search("Иванова", BranchScope.everything(), 0, 10);
		var second = this.search.search("Иванова", BranchScope.everything(), 10, 10);
		assertThat(first.rows()).hasSize(10);
		assertThat(first.total()).isGreaterThan(10);
		assertThat(ids(second)).doesNotContainAnyElementsOf(ids(first));
	}

	@Test
	void answersNothingForEmptyOrHugeQueries() {
		assertThat(this.search.search("   ", BranchScope.everything(), 0, 10).rows()).isEmpty();
		assertThat(this.search.search("я".repeat(500), BranchScope.everything(), 0, 10).rows()).isEmpty();
		assertThat(this.search.search("%_\\'", BranchScope.everything(), 0, 10).rows()).isEmpty();
	}

	private long register(String surname, String name, String patronymic, LocalDate birth, String phone, String email,
			long branchId) {
		return this.patients
			.register(PatientDetails.named(surname, name, branchId)
				.withPatronymic(patronymic)
				.withSex(Sex.F)
				.withBirthDate(birth)
				.withPhones(List.of(new PhoneNumber(phone)))
				.withEmail(email))
			.getId();
	}

	private static List<Long> ids(PatientSearch.Results results) {
		return results.rows().stream().map(PatientSearch.Row::id).toList();
	}

}
