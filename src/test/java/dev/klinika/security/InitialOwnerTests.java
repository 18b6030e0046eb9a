package dev.klinika.security;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;

import dev.klinika.KlinikaApplication;

import static org.assertj.core.api.Assertions.assertThat;

/** Without demo data, the first start creates one owner and tells its password once. */
@ExtendWith(OutputCaptureExtension.class)
class InitialOwnerTests {

	@Test
	void createsOneOwnerWithAGeneratedPasswordOnAnEmptyDatabase(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start("klinika_first_start")) {
			UserManagement users = context.getBean(UserManagement.class);
			assertThat(users.all()).singleElement().satisfies(owner -> {
				assertThat(owner.getUsername()).isEqualTo("owner");
				assertThat(owner.getRoles()).containsExactly(Role.OWNER);
			});
			Matcher printed = Pattern.compile("with the password\\s+(\\S+)").matcher(output.getOut());
			assertThat(printed.find()).as("password printed to the log").isTrue();
			var authentication = context.getBean(AccountAuthentication.class)
				.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("owner", printed.group(1)));
			assertThat(authentication.isAuthenticated()).isTrue();
		}
		try (ConfigurableApplicationContext again = start("klinika_first_start")) {
			assertThat(again.getBean(UserManagement.class).count()).isEqualTo(1);
		}
	}

	@Test
	void usesTheConfiguredPasswordAndPrintsNoSecret(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start("klinika_configured_owner",
				"klinika.security.initial-owner-password=S3cret-from-config")) {
			var authentication = context.getBean(AccountAuthentication.class)
				.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("owner", "S3cret-from-config"));
			assertThat(authentication.isAuthenticated()).isTrue();
			assertThat(output.getAll()).doesNotContain("S3cret-from-config");
		}
	}

	private static ConfigurableApplicationContext start(String database, String... properties) {
		String[] args = java.util.stream.Stream
			.concat(java.util.stream.Stream.of("--server.port=0", "--spring.jmx.enabled=false",
					"--klinika.demo.enabled=false", "--klinika.embedded-db.database=" + database,
					"--logging.level.dev.klinika.security=INFO"),
					java.util.Arrays.stream(properties).map(property -> "--" + property))
			.toArray(String[]::new);
		return new SpringApplicationBuilder(KlinikaApplication.class).profiles("test").run(args);
	}

}
