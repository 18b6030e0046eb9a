package dev.klinika.telephony;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The clinic's numbers on their screen: a tracking number added in any format, refused
 * when it is not a number or names what does not exist; extensions mapped to logins; the
 * reception sees the lines and plays a test call, but changes nothing.
 */
@KlinikaTest
class LinesScreenTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aTrackingNumberIsAddedInAnyFormatAndBadOnesAreRefused() throws Exception {
		String digits = String.format("%07d", new Random().nextInt(9_999_999));
		long source = this.jdbc.sql("select id from patient_source where name = '2ГИС'").query(Long.class).single();
		this.mvc
			.perform(post("/telephony/lines").with(this.logins.as("marketer"))
				.with(csrf())
				.param("number", "8 (495) " + digits)
				.param("branch", "1")
				.param("source", String.valueOf(source))
				.param("campaign", "2ГИС: зима")
				.param("active", "true"))
			.andExpect(flash().attribute("flashKey", "telephony.lines.saved"));
		assertThat(this.jdbc.sql("select source_id || ' ' || campaign from phone_line where number = :n")
			.param("n", "+7495" + digits)
			.query(String.class)
			.single()).isEqualTo(source + " 2ГИС: зима");
		this.mvc.perform(
				post("/telephony/lines").with(this.logins.as("owner")).with(csrf()).param("number", "позвоните мне"))
			.andExpect(flash().attribute("flashErrorKey", "telephony.lines.refused.NUMBER"));
		this.mvc
			.perform(post("/telephony/lines").with(this.logins.as("owner"))
				.with(csrf())
				.param("number", "+74951112233")
				.param("source", "999999"))
			.andExpect(flash().attribute("flashErrorKey", "telephony.lines.refused.UNKNOWN"));
		this.mvc
			.perform(post("/telephony/lines/extensions").with(this.logins.as("owner"))
				.with(csrf())
				.param("pbxId", "205")
				.param("username", "nobody-here"))
			.andExpect(flash().attribute("flashErrorKey", "telephony.lines.refused.LOGIN"));
		// The reception sees the lines but cannot change them.
		this.mvc.perform(get("/telephony/lines").with(this.logins.as("admin")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("+7 495 " + digits.substring(0, 3))))
			.andExpect(content().string(org.hamcrest.Matchers.not(containsString("id=\"line-add\""))));
		this.mvc
			.perform(
					post("/telephony/lines").with(this.logins.as("admin")).with(csrf()).param("number", "+74951112233"))
			.andExpect(status().isForbidden());
	}

	@Test
	void extensionsReadAsStaffNamesAndThoseCallsNameUnmappedAreShown() throws Exception {
		String unmapped = "7" + new Random().nextInt(1_000_000);
		this.jdbc.sql("""
				insert into call (vendor, vendor_call_id, direction, caller, called, employee, started_at, ended_at)
				values ('test', :id, 'IN', '+79260000000', '+74951000100', :ext, now() - interval '1 hour', now())
				""").param("id", "unmapped-" + unmapped).param("ext", unmapped).update();
		String adminName = this.jdbc.sql("select full_name from app_user where username = 'admin'")
			.query(String.class)
			.single();
		String html = this.mvc.perform(get("/telephony/lines").with(this.logins.as("owner")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		// The demo's extension 100 is the admin: by name, the login beside it.
		String mapped = html.substring(html.indexOf("data-extension=\"100\""));
		assertThat(mapped.substring(0, mapped.indexOf("</li>"))).contains(adminName).contains("(admin)");
		assertThat(html).contains("id=\"unmapped-extensions\"").contains(unmapped);
		// Mapped by choosing a person, it is no longer listed as unmapped.
		this.mvc
			.perform(post("/telephony/lines/extensions").with(this.logins.as("owner"))
				.with(csrf())
				.param("pbxId", unmapped)
				.param("username", "senior"))
			.andExpect(flash().attribute("flashKey", "flash.saved"));
		String after = this.mvc.perform(get("/telephony/lines").with(this.logins.as("owner")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(after).contains("data-extension=\"" + unmapped + "\"")
			.containsPattern("<option value=\"senior\">[^<]+</option>");
		int warning = after.indexOf("id=\"unmapped-extensions\"");
		if (warning >= 0) {
			assertThat(after.substring(warning, after.indexOf("</p>", warning))).doesNotContain(unmapped);
		}
		this.jdbc.sql("delete from pbx_employee where pbx_id = :id").param("id", unmapped).update();
	}

	@Test
	void theReceptionPlaysATestCallFromTheScreen() throws Exception {
		String caller = "+7926" + String.format("%07d", new Random().nextInt(9_999_999));
		this.mvc
			.perform(post("/telephony/lines/simulate").with(this.logins.as("admin"))
				.with(csrf())
				.param("line", "+74951000100")
				.param("caller", caller)
				.param("ending", "MISSED"))
			.andExpect(flash().attribute("flashKey", "telephony.simulator.played"));
		assertThat(this.jdbc.sql("select vendor || ' ' || status from call where caller = :c")
			.param("c", caller)
			.query(String.class)
			.single()).isEqualTo("simulator RINGING");
		// Once it ends unanswered and settles: missed, a callback for the line's branch,
		// and a stranger's lead.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc.sql("select count(*) from lead where phone = :c")
				.param("c", caller)
				.query(Integer.class)
				.single() == 1);
		assertThat(this.jdbc.sql("""
				select c.status || ' ' || t.kind || ' ' || (t.branch_id = c.branch_id) from call c
				  join task t on t.cause_type = 'call' and t.cause_id = c.id where c.caller = :c
				""").param("c", caller).query(String.class).single()).isEqualTo("MISSED CALL_BACK true");
	}

}
