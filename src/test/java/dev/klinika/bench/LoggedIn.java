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
public final class LoggedIn {

	private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

	private final String base;

	private LoggedIn(String base) {
		this.base = base;
	}

	/** Logs in as a demo login with the demo password, through the login form. */
	public static LoggedIn as(String base, String username) throws Exception {
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
	public int get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).build());
	}

	/** GETs what htmx asks for (a fragment); its status. */
	int fragment(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).header("HX-Request", "true").build());
	}

	/** GETs a page; its body. */
	public String body(String path) throws Exception {
		return this.client
			.send(HttpRequest.newBuilder(URI.create(this.base + path)).build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

	/** The session's CSRF token, as a page's form carries it. */
	public String csrf(String path) throws Exception {
		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(body(path));
		assertThat(csrf.find()).isTrue();
		return csrf.group(1);
	}

	/** POSTs a form (with the CSRF token given); the answer, redirects not followed. */
	public HttpResponse<String> post(String path, String csrf, java.util.Map<String, String> fields) {
		StringBuilder form = new StringBuilder("_csrf=").append(URLEncoder.encode(csrf, StandardCharsets.UTF_8));
		fields.forEach((name, value) -> form.append('&')
			.append(name)
			.append('=')
			.append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
		try {
			return this.client.send(HttpRequest.newBuilder(URI.create(this.base + path))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form.toString()))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
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
