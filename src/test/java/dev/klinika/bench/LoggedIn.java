package dev.klinika.bench;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A demo login's browser session over loopback HTTP, for benchmarks of pages. */
final class LoggedIn {

	private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

	private final String base;

	private LoggedIn(String base) {
		this.base = base;
	}

	/** Logs in as a demo login with the demo password, through the login form. */
	static LoggedIn as(String base, String username) throws Exception {
		LoggedIn session = new LoggedIn(base);
		String page = session.client
			.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
		assertThat(csrf.find()).isTrue();
		String form = "username=" + username + "&password=klinika&_csrf="
				+ URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
		HttpResponse<String> done = session.client.send(HttpRequest.newBuilder(URI.create(base + "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(done.headers().firstValue("Location").orElse("")).doesNotContain("error");
		return session;
	}

	/** GETs a page; its status. */
	int get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).build());
	}

	/** GETs what htmx asks for (a fragment); its status. */
	int fragment(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).header("HX-Request", "true").build());
	}

	/** GETs a page; its body. */
	String body(String path) throws Exception {
		return this.client
			.send(HttpRequest.newBuilder(URI.create(this.base + path)).build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

	private int send(HttpRequest request) {
		try {
			return this.client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
