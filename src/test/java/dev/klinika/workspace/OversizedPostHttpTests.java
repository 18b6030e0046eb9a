package dev.klinika.workspace;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 3 MB form posted by anyone to the login or the booking page, through the real server:
 * a plain 413, and one warning line instead of two error stack traces.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class OversizedPostHttpTests {

	@LocalServerPort
	int port;

	@Test
	void anOversizedAnonymousFormIsA413WithoutAnErrorTrace(CapturedOutput output) throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		String big = "a=" + "x".repeat(3_000_000);
		for (String path : new String[] { "/login", "/book/1/1" }) {
			HttpResponse<String> answer = client
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString(big))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as(path).isEqualTo(413);
		}
		assertThat(output.getAll()).doesNotContain("InvalidParameterException")
			.doesNotContain("Servlet.service() for servlet")
			.contains("Refused an oversized form post to /login (3000002 bytes)");
	}

}
