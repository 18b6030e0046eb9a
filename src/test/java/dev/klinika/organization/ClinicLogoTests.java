package dev.klinika.organization;

import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The clinic's logo: a picture the owner uploads is served to anyone (the booking pages
 * show it beside the clinic's name); anything that is not a PNG, JPEG or WebP, or too
 * big, is refused with a reason and the logo before it stays.
 */
@KlinikaTest
class ClinicLogoTests {

	/** The smallest PNG: a 1x1 transparent pixel. */
	static final byte[] PNG = java.util.Base64.getDecoder()
		.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Logins logins;

	@AfterEach
	void noLogo() {
		this.jdbc.sql("delete from clinic_logo").update();
	}

	@Test
	void anUploadedLogoIsShownToPatientsOnTheBookingPage() throws Exception {
		this.mvc
			.perform(multipart("/organization/clinic/logo")
				.file(new MockMultipartFile("logo", "logo.png", "image/png", PNG))
				.with(csrf())
				.with(this.logins.as("owner")))
			.andExpect(status().is3xxRedirection())
			.andExpect(flash().attribute("flashKey", "flash.saved"));
		// Anyone gets it, as the picture it is, cached.
		this.mvc.perform(get("/logo"))
			.andExpect(status().isOk())
			.andExpect(header().string("Content-Type", "image/png"))
			.andExpect(header().string("X-Content-Type-Options", "nosniff"))
			.andExpect(header().string("Cache-Control", org.hamcrest.Matchers.containsString("max-age=86400")))
			.andExpect(content().bytes(PNG));
		String page = this.mvc.perform(get("/book"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).containsPattern("<img class=\"brand-logo\" src=\"/logo\\?v=\\d+\"")
			.contains("<header class=\"topbar public\">");
	}

	@Test
	void somethingThatIsNotAPictureOrTooBigIsRefusedAndTheLogoStays() throws Exception {
		upload(PNG);
		byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".getBytes();
		byte[] big = Arrays.copyOf(PNG, ClinicLogo.MAX_BYTES + 1);
		for (var refused : new Object[][] { { svg, "NOT_AN_IMAGE" }, { big, "TOO_BIG" }, { new byte[0], "EMPTY" } }) {
			this.mvc
				.perform(multipart("/organization/clinic/logo")
					.file(new MockMultipartFile("logo", "logo.png", "image/png", (byte[]) refused[0]))
					.with(csrf())
					.with(this.logins.as("owner")))
				.andExpect(status().is3xxRedirection())
				.andExpect(flash().attribute("flashErrorKey", "clinic.logo.refused." + refused[1]));
		}
		this.mvc.perform(get("/logo")).andExpect(status().isOk()).andExpect(content().bytes(PNG));
		// No file at all is refused the same way.
		this.mvc.perform(multipart("/organization/clinic/logo").with(csrf()).with(this.logins.as("owner")))
			.andExpect(flash().attribute("flashErrorKey", "clinic.logo.refused.EMPTY"));
	}

	@Test
	void onlyTheClinicsManagersChangeItAndRemovingItLeavesNone() throws Exception {
		upload(PNG);
		this.mvc
			.perform(multipart("/organization/clinic/logo")
				.file(new MockMultipartFile("logo", "x.png", "image/png", PNG))
				.with(csrf())
				.with(this.logins.as("admin")))
			.andExpect(status().isForbidden());
		this.mvc.perform(post("/organization/clinic/logo/remove").with(csrf()).with(this.logins.as("owner")))
			.andExpect(status().is3xxRedirection());
		this.mvc.perform(get("/logo")).andExpect(status().isNotFound());
		assertThat(this.jdbc.sql("select count(*) from audit_log where action = 'CLINIC_LOGO_REMOVED'")
			.query(Integer.class)
			.single()).isPositive();
	}

	private void upload(byte[] bytes) throws Exception {
		this.mvc
			.perform(multipart("/organization/clinic/logo")
				.file(new MockMultipartFile("logo", "logo.png", "image/png", bytes))
				.with(csrf())
				.with(this.logins.as("owner")))
			.andExpect(flash().attribute("flashKey", "flash.saved"));
	}

}
