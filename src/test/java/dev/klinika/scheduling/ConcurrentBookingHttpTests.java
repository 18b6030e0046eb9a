package dev.klinika.scheduling;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 200 booking requests for one slot over real HTTP at once: one 201, 199 answers "this
 * time was just taken", one appointment in the database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ConcurrentBookingHttpTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Booking booking;

	@Autowired
	dev.klinika.scheduling.Availability availability;

	@Autowired
	WorkPatterns patterns;

	@Autowired
	javax.sql.DataSource dataSource;

	final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	@Test
	void twoHundredRequestsForOneSlotBookItOnce() throws Exception {
		var picked = DemoSchedule.weeklyStaff(this.jdbc, "admin", 0, true);
		long staff = picked.staff();
		long branch = picked.branch();
		long service = picked.service();
		LocalDate day = LocalDate.now().plusWeeks(7).with(java.time.DayOfWeek.WEDNESDAY);
		Instant start = this.availability.freeSlots(staff, branch, service, day, day).get(0);
		List<Long> patients = this.jdbc.sql("""
				select id from patient where merged_into is null and erased_at is null and home_branch_id = :branch
				 order by id desc limit 200
				""").param("branch", branch).query(Long.class).list();

		String session = logIn("admin");
		String csrf = csrfOf(get("/", session).body());
		List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
		for (long patient : patients) {
			String json = "{\"patient\":%d,\"service\":%d,\"staff\":%d,\"branch\":%d,\"start\":\"%s\"}"
				.formatted(patient, service, staff, branch, start);
			calls.add(this.http.sendAsync(HttpRequest.newBuilder(uri("/scheduling/api/appointments"))
				.header("Cookie", session)
				.header("X-CSRF-TOKEN", csrf)
				.header("Content-Type", "application/json")
				.header("Accept-Language", "ru")
				.POST(HttpRequest.BodyPublishers.ofString(json))
				.build(), HttpResponse.BodyHandlers.ofString()));
		}
		List<HttpResponse<String>> responses = new ArrayList<>();
		for (var call : calls) {
			responses.add(call.get());
		}
		assertThat(responses.stream().filter(r -> r.statusCode() == 201)).hasSize(1);
		assertThat(responses.stream().filter(r -> r.statusCode() == 409)).hasSize(199)
			.allSatisfy(r -> assertThat(r.body()).contains("только что заняли").contains("alternatives"));
		assertThat(this.jdbc
			.sql("""
					select count(*) from appointment where staff_id = :staff and status <> 'CANCELLED' and lower(during) = :start
					""")
			.param("staff", staff)
			.param("start", java.time.OffsetDateTime.ofInstant(start, java.time.ZoneOffset.UTC))
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void eightMovesIntoOneTimeOverHttpMoveOne() throws Exception {
		var picked = DemoSchedule.weeklyStaff(this.jdbc, "admin", 3, true);
		LocalDate day = LocalDate.now().plusWeeks(8).with(java.time.DayOfWeek.FRIDAY);
		List<Instant> free = this.availability.freeSlots(picked.staff(), picked.branch(), picked.service(), day, day);
		List<Long> patients = this.jdbc
			.sql("select id from patient where merged_into is null and erased_at is null order by id limit 8")
			.query(Long.class)
			.list();
		// Eight visits spread over the day; all of them then try to move into one free
		// time at once.
		Instant target = free.get(free.size() - 1);
		List<Long> visits = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			visits.add(this.booking
				.book(new Booking.Request(patients.get(i), picked.service(), picked.staff(), picked.branch(),
						free.get(i * 3), null))
				.id());
		}
		String session = logIn("admin");
		String csrf = csrfOf(get("/", session).body());
		List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
		for (long visit : visits) {
			calls.add(this.http.sendAsync(HttpRequest.newBuilder(uri("/scheduling/api/appointments/" + visit + "/move"))
				.header("Cookie", session)
				.header("X-CSRF-TOKEN", csrf)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"start\":\"%s\",\"staff\":%d}".formatted(target, picked.staff())))
				.build(), HttpResponse.BodyHandlers.ofString()));
		}
		List<HttpResponse<String>> responses = new ArrayList<>();
		for (var call : calls) {
			responses.add(call.get());
		}
		assertThat(responses.stream().filter(r -> r.statusCode() == 200))
			.as(responses.get(0).statusCode() + responses.get(0).body())
			.hasSize(1);
		assertThat(responses.stream().filter(r -> r.statusCode() == 409)).hasSize(7);
		assertThat(this.jdbc.sql(
				"select count(*) from appointment where staff_id = :staff and status <> 'CANCELLED' and lower(during) = :start")
			.param("staff", picked.staff())
			.param("start", java.time.OffsetDateTime.ofInstant(target, java.time.ZoneOffset.UTC))
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void aWebsiteRetryingOneBookingTwentyTimesAtOnceBooksItOnce() throws Exception {
		OwnClinic clinic = OwnClinic.create(this.jdbc, this.patterns);
		Instant start = clinic.at(6, java.time.DayOfWeek.THURSDAY, 15, 0);
		String body = website(clinic, start, "+7 916 5550101", "Нина");
		String key = java.util.UUID.randomUUID().toString();
		List<CompletableFuture<HttpResponse<String>>> same = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			same.add(this.http.sendAsync(websitePost(key, body), HttpResponse.BodyHandlers.ofString()));
		}
		List<HttpResponse<String>> answers = new ArrayList<>();
		for (var call : same) {
			answers.add(call.get());
		}
		assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(201));
		assertThat(answers.stream().map(HttpResponse::body).distinct()).hasSize(1);
		// Twenty different people for another time at once: one gets it.
		Instant other = clinic.at(6, java.time.DayOfWeek.THURSDAY, 16, 0);
		List<CompletableFuture<HttpResponse<String>>> many = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			many.add(this.http.sendAsync(
					websitePost(java.util.UUID.randomUUID().toString(),
							website(clinic, other, "+7 916 55502" + (10 + i), "Гость" + i)),
					HttpResponse.BodyHandlers.ofString()));
		}
		List<Integer> statuses = new ArrayList<>();
		for (var call : many) {
			statuses.add(call.get().statusCode());
		}
		assertThat(statuses).as(statuses.toString()).filteredOn(s -> s == 201).hasSize(1);
		assertThat(statuses).filteredOn(s -> s == 409).hasSize(19);
		assertThat(this.jdbc.sql("select count(*) from appointment where staff_id = :staff and status <> 'CANCELLED'")
			.param("staff", clinic.first())
			.query(Long.class)
			.single()).isEqualTo(2);
	}

	private String website(OwnClinic clinic, Instant start, String phone, String name) {
		return "{\"branch\":%d,\"service\":%d,\"staff\":%d,\"start\":\"%s\",\"name\":\"%s\",\"phone\":\"%s\",\"consent\":true}"
			.formatted(clinic.branch(), clinic.plainService(), clinic.first(), start, name, phone);
	}

	private HttpRequest websitePost(String key, String body) {
		return HttpRequest.newBuilder(uri("/api/public/v1/bookings"))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", key)
			.header("Origin", "https://clinic.example")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	@Test
	void anOpenGridHearsAChangeMadeOnAnotherNode() throws Exception {
		long branch = this.jdbc
			.sql("""
					select min(ub.branch_id) from user_branch ub join app_user u on u.id = ub.user_id where u.username = 'admin'
					""")
			.query(Long.class)
			.single();
		String session = logIn("admin");
		var lines = this.http.send(HttpRequest.newBuilder(uri("/scheduling/events?branch=" + branch))
			.header("Cookie", session)
			.header("Accept", "text/event-stream")
			.GET()
			.build(), HttpResponse.BodyHandlers.ofLines());
		assertThat(lines.statusCode()).isEqualTo(200);
		var heard = CompletableFuture.supplyAsync(() -> lines.body()
			.filter(line -> line.startsWith("data:"))
			.filter(line -> line.contains("4242"))
			.findFirst());
		Thread.sleep(300);
		// Another node's change: a NOTIFY committed on a connection of its own.
		try (var connection = this.dataSource.getConnection(); var statement = connection.createStatement()) {
			statement.execute("NOTIFY klinika_schedule, '" + branch + ":4242'");
			statement.execute("NOTIFY klinika_schedule, '" + (branch + 1000) + ":4343'");
		}
		assertThat(heard.get(5, java.util.concurrent.TimeUnit.SECONDS))
			.hasValueSatisfying(line -> assertThat(line).isEqualTo("data:4242"));
	}

	@Test
	void refusesAnotherBranchAndBrokenRulesWithAProblem() throws Exception {
		String session = logIn("admin");
		String csrf = csrfOf(get("/", session).body());
		long other = this.jdbc
			.sql("""
					select min(id) from branch where id not in
					    (select branch_id from user_branch ub join app_user u on u.id = ub.user_id where u.username = 'admin')
					""")
			.query(Long.class)
			.single();
		var response = this.http.send(HttpRequest.newBuilder(uri("/scheduling/api/appointments"))
			.header("Cookie", session)
			.header("X-CSRF-TOKEN", csrf)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"patient\":1,\"service\":1,\"staff\":1,\"branch\":" + other
					+ ",\"start\":\"2030-01-01T10:00:00Z\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("\"reason\":\"UNKNOWN_BRANCH\"");
		var noCsrf = this.http.send(HttpRequest.newBuilder(uri("/scheduling/api/appointments"))
			.header("Cookie", session)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(noCsrf.statusCode()).isEqualTo(403);
	}

	private String logIn(String username) throws Exception {
		HttpResponse<String> page = get("/login", null);
		String cookie = cookie(page);
		HttpResponse<String> login = this.http.send(HttpRequest.newBuilder(uri("/login"))
			.header("Cookie", cookie)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("username=" + username + "&password=klinika&_csrf="
					+ URLEncoder.encode(csrfOf(page.body()), StandardCharsets.UTF_8)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(login.headers().firstValue("Location"))
			.hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
		return cookie(login);
	}

	private HttpResponse<String> get(String path, String cookie) throws Exception {
		var request = HttpRequest.newBuilder(uri(path)).header("Accept", "text/html").GET();
		if (cookie != null) {
			request.header("Cookie", cookie);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String cookie(HttpResponse<String> response) {
		return response.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter(c -> c.startsWith("SESSION="))
			.map(c -> c.substring(0, c.indexOf(';')))
			.findFirst()
			.orElseThrow();
	}

	private static String csrfOf(String html) {
		Matcher matcher = Pattern.compile("name=\"_csrf\" (?:value|content)=\"([^\"]+)\"").matcher(html);
		assertThat(matcher.find()).isTrue();
		return matcher.group(1);
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
