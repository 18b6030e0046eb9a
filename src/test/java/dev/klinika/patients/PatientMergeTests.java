package dev.klinika.patients;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;
import dev.klinika.shared.PhoneNumber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Merging loses nothing: contacts and consents are united, the duplicate redirects,
 * others are told.
 */
@KlinikaTest
class PatientMergeTests {

	@Autowired
	PatientManagement patients;

	@Autowired
	PatientMerge merge;

	@Autowired
	DuplicatePairs pairs;

	@Autowired
	Consents consents;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Autowired
	UserDetailsService accounts;

	@Autowired
	MergeEvents events;

	@BeforeEach
	void actAsOwner() {
		var owner = this.accounts.loadUserByUsername("owner");
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(owner, null, owner.getAuthorities()));
	}

	@AfterEach
	void clear() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void unitesEverythingAndLeavesATombstoneThatRedirects() throws Exception {
		String shared = "+7" + PatientCardTests.uniqueMobile();
		String onlyB = "+7" + PatientCardTests.uniqueMobile();
		long a = register("Объединёнова", "Анна", null, List.of(shared), "a@example.ru", Set.of("vip"),
				"Звонить утром");
		long b = register("Объединенова", "Анна", "Петровна", List.of(shared, onlyB), "b@example.ru", Set.of("спина"),
				"Аллергия на латекс в перчатках — предупредить");
		this.consents.give(b, ConsentKind.MARKETING, java.time.Instant.now().minusSeconds(60), ConsentChannel.PAPER,
				"№1");
		assertThat(this.pairs.find(dev.klinika.security.BranchScope.everything(), 1000))
			.anySatisfy(pair -> assertThat(List.of(pair.a(), pair.b())).containsExactlyInAnyOrder(a, b));

		Patient survivor = this.merge.merge(a, b, Map.of("surname", a, "patronymic", b));

		assertThat(survivor.getSurname()).isEqualTo("Объединёнова");
		assertThat(survivor.getPatronymic()).isEqualTo("Петровна");
		assertThat(survivor.getEmail()).isEqualTo("a@example.ru");
		assertThat(survivor.getPhones()).extracting(PhoneNumber::e164).containsExactly(shared, onlyB);
		assertThat(survivor.getTags()).containsExactlyInAnyOrder("vip", "спина");
		assertThat(survivor.getNotes()).contains("Звонить утром").contains("Аллергия").contains("E-mail: b@example.ru");
		assertThat(this.consents.marketingAllowed(a)).isTrue();
		assertThat(this.consents.marketingAllowed(b)).isFalse();
		assertThat(this.patients.find(b).orElseThrow().getMergedInto()).isEqualTo(a);
		assertThat(this.events.received()).contains(new PatientsMerged(a, b));
		assertThat(this.jdbc.sql("select count(*) from audit_log where action = 'PATIENT_MERGED' and record_id = :id")
			.param("id", String.valueOf(a))
			.query(Long.class)
			.single()).isEqualTo(1);
		this.mvc.perform(get("/patients/{id}", b).with(this.logins.as("owner")))
			.andExpect(redirectedUrl("/patients/" + a));
		this.mvc.perform(get("/patients/{id}", a).with(this.logins.as("owner")))
			.andExpect(content().string(containsString("Объединена с дублем")));
		assertThat(this.pairs.find(dev.klinika.security.BranchScope.everything(), 1000))
			.noneSatisfy(pair -> assertThat(List.of(pair.a(), pair.b())).contains(b));
		actAsOwner(); // MockMvc cleared the test thread's login
		assertThatIllegalStateException().isThrownBy(() -> this.merge.merge(a, b, Map.of()));
	}

	@Test
	void mergesFromTheScreenKeepingTheChosenCard() throws Exception {
		String shared = "+7" + PatientCardTests.uniqueMobile();
		long a = register("Экранова", "Лидия", null, List.of(shared), null, Set.of(), null);
		long b = register("Экранова", "Лида", null, List.of(shared), null, Set.of(), null);
		this.mvc
			.perform(get("/patients/merge").param("a", String.valueOf(a))
				.param("b", String.valueOf(b))
				.with(this.logins.as("owner")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Лида")));
		this.mvc
			.perform(post("/patients/merge").with(csrf())
				.with(this.logins.as("owner"))
				.param("a", String.valueOf(a))
				.param("b", String.valueOf(b))
				.param("survivor", String.valueOf(b))
				.param("choice.name", String.valueOf(a)))
			.andExpect(redirectedUrl("/patients/" + b));
		actAsOwner(); // MockMvc cleared the test thread's login
		assertThat(this.patients.find(b).orElseThrow().getName()).isEqualTo("Лидия");
		assertThat(this.patients.find(a).orElseThrow().getMergedInto()).isEqualTo(b);
		this.mvc
			.perform(post("/patients/merge").with(csrf())
				.with(this.logins.as("consultant"))
				.param("a", String.valueOf(a))
				.param("b", String.valueOf(b))
				.param("survivor", String.valueOf(b)))
			.andExpect(status().isForbidden());
	}

	@Test
	void stopsOfferingAPairMarkedAsDifferentPeople() {
		String shared = "+7" + PatientCardTests.uniqueMobile();
		long a = register("Близнецова", "Ольга", null, List.of(shared), null, Set.of(), null);
		long b = register("Близнецова", "Татьяна", null, List.of(shared), null, Set.of(), null);
		this.merge.markDifferent(b, a);
		assertThat(this.pairs.find(dev.klinika.security.BranchScope.everything(), 1000))
			.noneSatisfy(pair -> assertThat(List.of(pair.a(), pair.b())).containsExactlyInAnyOrder(a, b));
	}

	private long register(String surname, String name, String patronymic, List<String> phones, String email,
			Set<String> tags, String notes) {
		long branch = this.jdbc.sql("select min(id) from branch").query(Long.class).single();
		return this.patients
			.register(PatientDetails.named(surname, name, branch)
				.withPatronymic(patronymic)
				.withSex(Sex.F)
				.withPhones(phones.stream().map(PhoneNumber::new).toList())
				.withEmail(email)
				.withTags(tags)
				.withNotes(notes))
			.getId();
	}

}
