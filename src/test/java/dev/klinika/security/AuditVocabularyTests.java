package dev.klinika.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The audit log reads in words: every action a module records has its name in both
 * languages and a place in the filter, every kind of record too, and the page shows the
 * colleague's name and a link to the record instead of codes and logins.
 */
@KlinikaTest
class AuditVocabularyTests {

	private static final Pattern RECORD = Pattern.compile("audit\\.record\\(([^;]*?)\\);", Pattern.DOTALL);

	private static final Pattern CODE = Pattern.compile("\"([A-Z][A-Z_]+)\"");

	private static final Pattern TYPE = Pattern.compile("\"[A-Z_]+\"\\s*(?:\\+\\s*\\w+\\s*)?,\\s*\"([a-z_]+)\"");

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Logins logins;

	@Test
	void everyActionAndRecordTypeTheSourcesWriteHasWordsAndAFilterChoice() throws IOException {
		Set<String> actions = new TreeSet<>();
		Set<String> types = new TreeSet<>();
		try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
			files.filter(f -> f.toString().endsWith(".java")).forEach(file -> {
				Matcher call = RECORD.matcher(read(file));
				while (call.find()) {
					Matcher code = CODE.matcher(call.group(1));
					while (code.find()) {
						actions.add(code.group(1));
					}
					Matcher type = TYPE.matcher(call.group(1));
					while (type.find()) {
						types.add(type.group(1));
					}
				}
			});
		}
		// Codes built at run time: an appointment's new state, a patient's opt-out scope.
		actions.removeIf(code -> code.endsWith("_"));
		assertThat(actions).hasSizeGreaterThan(60);
		assertThat(AuditVocabulary.ACTIONS).containsAll(actions)
			.contains("APPOINTMENT_CANCELLED", "MESSAGES_OPT_OUT_MARKETING", "TASK_POSTPONED");
		assertThat(AuditVocabulary.RECORD_TYPES).containsAll(types);
		for (String messages : new String[] { "messages.properties", "messages_en.properties" }) {
			Properties words = new Properties();
			try (var in = Files.newBufferedReader(Path.of("src/main/resources", messages))) {
				words.load(in);
			}
			assertThat(AuditVocabulary.ACTIONS).allSatisfy(a -> assertThat(words).containsKey("audit.action." + a));
			assertThat(AuditVocabulary.RECORD_TYPES).allSatisfy(t -> assertThat(words).containsKey("audit.type." + t));
		}
	}

	@Test
	void thePageShowsNamesWordsAndLinksAndFiltersByChoice() throws Exception {
		long patient = this.jdbc.sql("select min(id) from patient where erased_at is null").query(Long.class).single();
		this.mvc.perform(get("/patients/{id}", patient).with(this.logins.as("admin"))).andExpect(status().isOk());
		String html = this.mvc
			.perform(get("/security/audit").param("actor", "admin")
				.param("action", "PATIENT_VIEWED")
				.with(this.logins.as("owner")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String row = html.substring(html.indexOf("data-action=\"PATIENT_VIEWED\""));
		row = row.substring(0, row.indexOf("</tr>"));
		assertThat(row).contains("Анна Игоревна Лебедева")
			.contains("Просмотр карточки пациента")
			.contains("href=\"/patients/")
			.doesNotContain(">PATIENT_VIEWED<")
			.doesNotContain(">admin<");
		// The filters are choices with the chosen ones selected.
		assertThat(html)
			.contains("<option value=\"PATIENT_VIEWED\" selected=\"selected\">Просмотр карточки пациента</option>")
			.contains("<option value=\"admin\" selected=\"selected\">Анна Игоревна Лебедева</option>");
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
