package dev.klinika.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.klinika.KlinikaApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two app nodes on one database behave as one: a login made on one node is valid on the
 * other, and a logout on one ends it on both. Real HTTP on loopback, real sessions in
 * PostgreSQL.
 */
class SessionSharingTests {

	static ConfigurableApplicationContext nodeA;

	static ConfigurableApplicationContext nodeB;

	final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	@BeforeAll
	static void startTwoNodes() {
		nodeA = start();
		nodeB = start();
	}

	@AfterAll
	static void stopNodes() {
		nodeA.close();
		nodeB.close();
	}

	@Test
	void sharesTheSessionBetweenNodes() throws Exception {
		String session = logIn(nodeA, "manager", "klinika");
		HttpResponse<String> home = get(nodeB, "/", session);
		assertThat(home.statusCode()).isEqualTo(200);
		assertThat(home.body()).contains("Дмитрий Сергеевич Волков");

		String csrf = csrfOf(get(nodeB, "/", session).body());
		HttpResponse<String> logout = send(nodeB,
				HttpRequest.newBuilder(uri(nodeB, "/logout"))
					.header("Cookie", session)
					.header("Accept", "text/html")
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString("_csrf=" + enc(csrf))));
		assertThat(logout.statusCode()).isEqualTo(302);
		assertThat(get(nodeA, "/", session).statusCode()).isEqualTo(302);
	}

	private String logIn(ConfigurableApplicationContext node, String username, String password) throws Exception {
		HttpResponse<String> page = get(node, "/login", null);
		String cookie = sessionCookie(page);
		HttpResponse<String> login = send(node,
				HttpRequest.newBuilder(uri(node, "/login"))
					.header("Cookie", cookie)
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString("username=" + enc(username) + "&password=" + enc(password)
							+ "&_csrf=" + enc(csrfOf(page.body())))));
		assertThat(login.statusCode()).isEqualTo(302);
		assertThat(login.headers().firstValue("Location"))
			.hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
		return sessionCookie(login);
	}

	private HttpResponse<String> get(ConfigurableApplicationContext node, String path, String cookie) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(node, path)).header("Accept", "text/html").GET();
		if (cookie != null) {
			request.header("Cookie", cookie);
		}
		return send(node, request);
	}

	private HttpResponse<String> send(ConfigurableApplicationContext node, HttpRequest.Builder request)
			throws Exception {
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String sessionCookie(HttpResponse<String> response) {
		return response.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter(c -> c.startsWith("SESSION="))
			.map(c -> c.substring(0, c.indexOf(';')))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No SESSION cookie in " + response.headers()));
	}

	private static String csrfOf(String html) {
		Matcher matcher = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
		if (matcher.find()) {
			return matcher.group(1);
		}
		Matcher meta = Pattern.compile("name=\"_csrf\" content=\"([^\"]+)\"").matcher(html);
		assertThat(meta.find()).as("CSRF token in page").isTrue();
		return meta.group(1);
	}

	private static URI uri(ConfigurableApplicationContext node, String path) {
		int port = ((WebServerApplicationContext) node).getWebServer().getPort();
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(KlinikaApplication.class).profiles("test")
			.properties("server.port=0", "spring.jmx.enabled=false")
			.run();
	}

}
