package dev.klinika.billing;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.Logins;
import dev.klinika.scheduling.OwnClinicAccess;
import dev.klinika.scheduling.WorkPatterns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Prepayment of online bookings through YooKassa's API on loopback: the patient pays on
 * the provider's page while the time is held, the visit is booked when the money is
 * authorized and the money taken only then; a notification is never trusted (the status
 * is asked by API), a replayed one changes nothing, an unknown one is refused; a time
 * taken meanwhile cancels the authorization; an unpaid hold expires and frees the time;
 * an early cancellation refunds to the card, a late one keeps the money on the deposit;
 * the provider's 500 loses nothing; and the booking API's way through it.
 */
@SpringBootTest(properties = { "db-scheduler.enabled=false", "klinika.billing.yookassa.shop-id=" + YooKassaServer.SHOP,
		"klinika.billing.yookassa.secret-key=" + YooKassaServer.SECRET, "klinika.billing.yookassa.timeout=2s" })
@AutoConfigureMockMvc
@ActiveProfiles("test")
class OnlinePrepaymentTests {

	static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

	static final YooKassaServer yookassa = start();

	static final Pattern PAY_LINK = Pattern.compile("id=\"pay-link\" href=\"([^\"]+)\"");

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WorkPatterns patterns;

	@Autowired
	OnlinePayments online;

	@Autowired
	Logins logins;

	@Autowired
	dev.klinika.catalog.PackageProducts products;

	@Autowired
	dev.klinika.scheduling.Booking booking;

	private final JsonMapper json = JsonMapper.builder().build();

	OwnClinicAccess.Ids clinic;

	private String provider = "NONE";

	static YooKassaServer start() {
		try {
			return new YooKassaServer();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@DynamicPropertySource
	static void yookassaUrl(DynamicPropertyRegistry registry) {
		registry.add("klinika.billing.yookassa.url", yookassa::url);
	}

	@AfterAll
	static void stop() {
		yookassa.close();
	}

	@BeforeEach
	void prepaidService() {
		this.clinic = OwnClinicAccess.create(this.jdbc, this.patterns);
		this.jdbc.sql("insert into service_price (service_id, valid_from, price) values (:id, '2020-01-01', 1500)")
			.param("id", this.clinic.plainService())
			.update();
		this.jdbc.sql("insert into prepayment_service (service_id, amount) values (:id, 1000)")
			.param("id", this.clinic.plainService())
			.update();
		this.provider = this.jdbc.sql("select online_provider from billing_settings").query(String.class).single();
		this.jdbc.sql("update billing_settings set online_provider = 'YOOKASSA', prepay_refund_hours = 24").update();
		yookassa.script.clear();
	}

	@AfterEach
	void providerOff() {
		this.jdbc.sql("update billing_settings set online_provider = :p, prepay_refund_hours = 24")
			.param("p", this.provider)
			.update();
	}

	@Test
	void aPatientPaysAndIsBookedOnlyWhenYooKassaSaysTheMoneyIsAuthorized() throws Exception {
		Instant start = at(2, DayOfWeek.TUESDAY, 10);
		String hold = hold(start, this.clinic.first());
		assertThat(text(get(times() + "/details").param("hold", hold)
			.param("staff", String.valueOf(this.clinic.first()))
			.param("start", start.toString()))).contains("предоплата 1 000 ₽").contains("Записаться и оплатить");
		String page = confirm(hold, start, this.clinic.first(), "Вера");
		assertThat(plain(page)).contains("К оплате: 1 000 ₽").contains("15 минут");
		Map<String, Object> payment = payment(hold);
		String id = (String) payment.get("provider_id");
		assertThat(payLink(page)).isEqualTo("https://yoomoney.ru/api-pages/v2/payment-confirm/epl?orderId=" + id);
		assertThat(payment.get("status")).isEqualTo("PENDING");
		// What YooKassa was asked: the amount with kopecks, two stages, the way back.
		Map<String, Object> created = creates(payment).get(0);
		assertThat(created.get("key")).isEqualTo(payment.get("key"));
		var body = this.json.readTree((String) created.get("body"));
		assertThat(body.path("amount").path("value").asString()).isEqualTo("1000.00");
		assertThat(body.path("amount").path("currency").asString()).isEqualTo("RUB");
		assertThat(body.path("capture").asBoolean(true)).isFalse();
		assertThat(body.path("confirmation").path("type").asString()).isEqualTo("redirect");
		assertThat(body.path("confirmation").path("return_url").asString())
			.isEqualTo("http://localhost/book/pay/" + payment.get("key"));
		// The same form sent again is the same payment.
		assertThat(payLink(confirm(hold, start, this.clinic.first(), "Вера"))).isEqualTo(payLink(page));
		assertThat(creates(payment)).hasSize(1);

		// A forged notification that the payment succeeded: YooKassa says it is pending.
		notify("payment.succeeded", id).andExpect(status().isOk());
		assertThat(payment(hold).get("status")).isEqualTo("PENDING");
		assertThat(visitsAt(start)).isZero();
		this.mvc.perform(get("/book/pay/" + payment.get("key")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Ждём подтверждения оплаты")));

		yookassa.pay(id);
		notify("payment.waiting_for_capture", id).andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("PAID"));
		Map<String, Object> paid = payment(hold);
		assertThat(paid.get("status")).isEqualTo("PAID");
		assertThat(yookassa.status(id)).isEqualTo("succeeded");
		assertThat(yookassa.requests("POST", id + "/capture")).singleElement()
			.satisfies(capture -> assertThat(capture.get("key")).isEqualTo(payment.get("key") + "-capture"));
		long visit = ((Number) paid.get("appointment_id")).longValue();
		assertThat(this.jdbc.sql("select status, source, staff_id from appointment where id = :id")
			.param("id", visit)
			.query()
			.singleRow()).containsEntry("status", "BOOKED")
			.containsEntry("source", "ONLINE")
			.containsEntry("staff_id", this.clinic.first());
		assertThat(this.jdbc.sql("select count(*) from slot_hold where token = :t")
			.param("t", hold)
			.query(Integer.class)
			.single()).isZero();
		// The money is on the visit's bill: 1 000 of 1 500 paid online, 500 due.
		long bill = ((Number) paid.get("bill_id")).longValue();
		assertThat(this.jdbc.sql("select appointment_id from bill where id = :id")
			.param("id", bill)
			.query(Long.class)
			.single()).isEqualTo(visit);
		List<Map<String, Object>> transfers = transfers(bill);
		assertThat(transfers).singleElement().satisfies(t -> {
			assertThat(t.get("code")).isEqualTo("PAYMENT");
			assertThat(t.get("method")).isEqualTo("ONLINE");
			assertThat((BigDecimal) t.get("amount")).isEqualByComparingTo("1000");
		});

		// Replayed notifications and returns change nothing, column for column.
		List<Map<String, Object>> rows = this.jdbc.sql("select * from online_payment where order_token = :h")
			.param("h", hold)
			.query()
			.listOfRows();
		notify("payment.waiting_for_capture", id).andExpect(status().isOk());
		notify("payment.succeeded", id).andExpect(status().isOk());
		// Out of order: a cancellation notified after the capture changes nothing.
		notify("payment.canceled", id).andExpect(status().isOk());
		this.mvc.perform(get("/book/pay/" + payment.get("key")))
			.andExpect(redirectedUrl("/book/visit/" + paid.get("public_code")));
		assertThat(this.jdbc.sql("select * from online_payment where order_token = :h")
			.param("h", hold)
			.query()
			.listOfRows()).isEqualTo(rows);
		assertThat(transfers(bill)).isEqualTo(transfers);
		assertThat(yookassa.requests("POST", id + "/capture")).hasSize(1);

		// The patient's page says what was paid and until when it goes back to the card.
		assertThat(text(get("/book/visit/" + paid.get("public_code")))).contains("Предоплата 1 000 ₽ получена")
			.contains("деньги вернутся на карту");
		// The visit's page tells the desk what was paid ahead.
		assertThat(text(get("/scheduling/appointments/" + visit).with(this.logins.as("owner"))))
			.contains("1 000 ₽ онлайн; при отмене до");
		// The desk's grid marks the visit prepaid.
		this.mvc
			.perform(get("/scheduling/day").with(this.logins.as("owner"))
				.param("branch", String.valueOf(this.clinic.branch()))
				.param("date", start.atZone(MOSCOW).toLocalDate().toString()))
			.andExpect(content().string(containsString("предоплачен")));
	}

	@Test
	void notificationsAndReturnsRacingEachOtherBookAndCaptureOnce() throws Exception {
		Instant start = at(2, DayOfWeek.MONDAY, 12);
		String hold = hold(start, this.clinic.second());
		confirm(hold, start, this.clinic.second(), "Раиса");
		Map<String, Object> payment = payment(hold);
		String id = (String) payment.get("provider_id");
		yookassa.pay(id);
		var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
		try {
			var gate = new java.util.concurrent.CountDownLatch(1);
			List<java.util.concurrent.Future<?>> racing = new java.util.ArrayList<>();
			for (int i = 0; i < 8; i++) {
				int n = i;
				racing.add(pool.submit(() -> {
					gate.await();
					if (n % 2 == 0) {
						notify("payment.waiting_for_capture", id);
					}
					else {
						this.online.settle((String) payment.get("key"));
					}
					return null;
				}));
			}
			gate.countDown();
			for (var one : racing) {
				one.get(30, java.util.concurrent.TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		// A settling that found another one at work left it to the job: one more round.
		this.online.settle((String) payment.get("key"));
		Map<String, Object> paid = payment(hold);
		assertThat(paid.get("status")).isEqualTo("PAID");
		assertThat(visitsAt(start)).isEqualTo(1);
		assertThat(yookassa.requests("POST", id + "/capture")).hasSize(1);
		assertThat(transfers(((Number) paid.get("bill_id")).longValue())).hasSize(1);
		assertThat(this.jdbc.sql("select count(*) from bill where appointment_id = :visit")
			.param("visit", paid.get("appointment_id"))
			.query(Integer.class)
			.single()).isEqualTo(1);
	}

	@Test
	void aSettlingCutShortAfterTheBookingFindsItsVisitAndNeverBooksTwice() throws Exception {
		Instant start = at(3, DayOfWeek.THURSDAY, 11);
		String hold = hold(start, this.clinic.first());
		confirm(hold, start, this.clinic.first(), "Злата");
		Map<String, Object> payment = payment(hold);
		yookassa.pay((String) payment.get("provider_id"));
		// As if a settling kept the visit's code, booked the time and stopped there.
		String code = "cutShortCode" + UUID.randomUUID().toString().substring(0, 12);
		this.jdbc.sql("update online_payment set public_code = :code where id = :id")
			.param("code", code)
			.param("id", payment.get("id"))
			.update();
		long visit = this.booking
			.book(new dev.klinika.scheduling.Booking.Request(((Number) payment.get("patient_id")).longValue(),
					this.clinic.plainService(), this.clinic.first(), this.clinic.branch(), start, null,
					dev.klinika.scheduling.Booking.Source.ONLINE, hold, null, code))
			.id();
		this.mvc.perform(get("/book/pay/" + payment.get("key"))).andExpect(redirectedUrl("/book/visit/" + code));
		Map<String, Object> paid = payment(hold);
		assertThat(paid.get("status")).isEqualTo("PAID");
		assertThat(paid.get("appointment_id")).isEqualTo(visit);
		assertThat(visitsAt(start)).isEqualTo(1);
		assertThat(yookassa.status((String) payment.get("provider_id"))).isEqualTo("succeeded");
	}

	@Test
	void theSandboxPageIsThereOnlyWhileTheSandboxIsTheProvider() throws Exception {
		this.jdbc.sql("update billing_settings set online_provider = 'SANDBOX'").update();
		Instant start = at(3, DayOfWeek.WEDNESDAY, 10);
		String hold = hold(start, this.clinic.first());
		String link = payLink(confirm(hold, start, this.clinic.first(), "Майя"));
		assertThat(link).startsWith("/book/pay/sandbox/");
		assertThat(text(get(link))).contains("Тестовая оплата").contains("1 000 ₽");
		// Neither button: nothing changes.
		this.mvc.perform(post(link).with(csrf()).param("answer", "steal")).andExpect(redirectedUrl(link));
		this.mvc.perform(post(link).param("answer", "pay")).andExpect(status().isForbidden());
		assertThat(payment(hold).get("status")).isEqualTo("PENDING");
		this.mvc.perform(post(link).with(csrf()).param("answer", "pay"))
			.andExpect(redirectedUrl("http://localhost/book/pay/" + payment(hold).get("key")));
		this.mvc.perform(get("/book/pay/" + payment(hold).get("key")))
			.andExpect(redirectedUrl("/book/visit/" + payment(hold).get("public_code")));
		this.jdbc.sql("update billing_settings set online_provider = 'YOOKASSA'").update();
		this.mvc.perform(get(link)).andExpect(status().isNotFound());
	}

	@Test
	void notificationsThatAreNotYooKassasOrNameNoKnownPaymentAreRefused() throws Exception {
		notify("payment.succeeded", "2f4b6e3a-000f-5000-9000-1b68e7b15f3f").andExpect(status().isNotFound());
		this.mvc.perform(post("/api/hooks/yookassa").contentType(MediaType.APPLICATION_JSON).content("{not json"))
			.andExpect(status().isBadRequest());
		this.mvc
			.perform(post("/api/hooks/yookassa").contentType(MediaType.APPLICATION_JSON)
				.content("{\"type\":\"notification\",\"event\":\"payment.succeeded\",\"object\":{}}"))
			.andExpect(status().isBadRequest());
		this.mvc.perform(post("/api/hooks/yookassa").contentType(MediaType.APPLICATION_JSON)
			.content("{\"type\":\"notification\",\"event\":\"payment.succeeded\",\"object\":{\"id\":\"../../etc\"}}"))
			.andExpect(status().isNotFound());
		this.mvc
			.perform(post("/api/hooks/yookassa").contentType(MediaType.APPLICATION_JSON)
				.content("{\"type\":\"notification\",\"event\":\"x\",\"object\":{\"id\":\"" + "a".repeat(70_000)
						+ "\"}}"))
			.andExpect(status().isPayloadTooLarge());
		this.mvc.perform(get("/book/pay/" + "A".repeat(24))).andExpect(status().isNotFound());
	}

	@Test
	void aTimeTakenWhileThePatientPaidCancelsTheAuthorizationAndChargesNothing() throws Exception {
		Instant start = at(2, DayOfWeek.WEDNESDAY, 11);
		String hold = hold(start, this.clinic.first());
		confirm(hold, start, this.clinic.first(), "Лада");
		String id = (String) payment(hold).get("provider_id");
		// The patient is slow: the hold lapses and the desk books the time for someone
		// else.
		this.jdbc.sql("update slot_hold set expires_at = now() - interval '1 minute' where token = :t")
			.param("t", hold)
			.update();
		this.mvc.perform(post("/scheduling/book").with(this.logins.as("owner"))
			.with(csrf())
			.param("patient", String.valueOf(anyPatient()))
			.param("service", String.valueOf(this.clinic.plainService()))
			.param("staff", String.valueOf(this.clinic.first()))
			.param("branch", String.valueOf(this.clinic.branch()))
			.param("start", start.toString()));
		assertThat(visitsAt(start)).isEqualTo(1);
		yookassa.pay(id);
		String key = (String) payment(hold).get("key");
		this.mvc.perform(get("/book/pay/" + key))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Это время уже заняли")))
			.andExpect(content().string(containsString("Деньги не списаны")));
		assertThat(payment(hold)).containsEntry("status", "CANCELLED").containsEntry("outcome", "TAKEN");
		assertThat(yookassa.status(id)).isEqualTo("canceled");
		assertThat(visitsAt(start)).isEqualTo(1);
		assertThat(payment(hold).get("bill_id")).isNull();
	}

	@Test
	void anUnpaidHoldExpiresAndFreesTheTimeAndADeclinedPaymentToo() throws Exception {
		Instant start = at(2, DayOfWeek.THURSDAY, 12);
		String hold = hold(start, this.clinic.first());
		confirm(hold, start, this.clinic.first(), "Ника");
		assertThat(freeTimes(start)).doesNotContain(start);
		// Fifteen minutes later, nothing paid: the job lets the time go.
		this.jdbc
			.sql("""
					update online_payment set expires_at = now() - interval '1 minute', created_at = now() - interval '16 minutes'
					 where order_token = :t
					""")
			.param("t", hold)
			.update();
		this.jdbc.sql("update slot_hold set expires_at = now() - interval '1 minute' where token = :t")
			.param("t", hold)
			.update();
		this.online.runDue();
		assertThat(payment(hold)).containsEntry("status", "EXPIRED").containsEntry("outcome", "EXPIRED");
		assertThat(freeTimes(start)).contains(start);

		Instant other = at(2, DayOfWeek.THURSDAY, 14);
		String second = hold(other, this.clinic.second());
		confirm(second, other, this.clinic.second(), "Ника");
		yookassa.decline((String) payment(second).get("provider_id"));
		this.mvc.perform(get("/book/pay/" + payment(second).get("key")))
			.andExpect(content().string(containsString("Оплата не прошла")));
		assertThat(payment(second)).containsEntry("status", "CANCELLED").containsEntry("outcome", "DECLINED");
		assertThat(this.jdbc.sql("select count(*) from slot_hold where token = :t")
			.param("t", second)
			.query(Integer.class)
			.single()).isZero();
		assertThat(visitsAt(other)).isZero();
	}

	@Test
	void anEarlyCancellationRefundsToTheCardAndALateOneKeepsTheMoneyOnTheDeposit() throws Exception {
		Instant start = at(2, DayOfWeek.FRIDAY, 10);
		Map<String, Object> paid = paidVisit(start, "Ирина");
		String id = (String) paid.get("provider_id");
		this.mvc.perform(post("/book/visit/" + paid.get("public_code") + "/cancel").with(csrf()))
			.andExpect(status().isOk());
		long bill = ((Number) paid.get("bill_id")).longValue();
		await().atMost(Duration.ofSeconds(10)).until(() -> transfers(bill).size() == 2);
		assertThat(transfers(bill).get(1)).satisfies(t -> {
			assertThat(t.get("code")).isEqualTo("REFUND");
			assertThat(t.get("method")).isEqualTo("ONLINE");
			assertThat((BigDecimal) t.get("amount")).isEqualByComparingTo("1000");
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> refundsOf(paid).size() == 1);
		this.online.sendRefunds();
		assertThat(yookassa.requests("POST", "refunds")).last().satisfies(sent -> {
			var body = this.json.readTree((String) sent.get("body"));
			assertThat(body.path("payment_id").asString()).isEqualTo(id);
			assertThat(body.path("amount").path("value").asString()).isEqualTo("1000.00");
			assertThat((String) sent.get("key")).startsWith("refund-");
		});
		assertThat(this.jdbc.sql(
				"select r.status from online_refund r join online_payment p on p.id = r.online_payment_id where p.provider_id = :id")
			.param("id", id)
			.query(String.class)
			.single()).isEqualTo("SUCCEEDED");
		// Sent again (a lost answer), YooKassa refunds once: the same key.
		this.online.sendRefunds();
		assertThat(yookassa.requests("POST", "refunds").stream().filter(r -> r.get("body").toString().contains(id)))
			.hasSize(1);

		// Cancelled 10 days ahead with a 30-day window: the money stays with the patient.
		this.jdbc.sql("update billing_settings set prepay_refund_hours = 720").update();
		Instant later = at(2, DayOfWeek.FRIDAY, 12);
		Map<String, Object> kept = paidVisit(later, "Ирина");
		this.mvc.perform(post("/book/visit/" + kept.get("public_code") + "/cancel").with(csrf()))
			.andExpect(status().isOk());
		long keptBill = ((Number) kept.get("bill_id")).longValue();
		await().atMost(Duration.ofSeconds(10)).until(() -> transfers(keptBill).size() == 2);
		assertThat(transfers(keptBill).get(1)).containsEntry("code", "REFUND").containsEntry("method", "DEPOSIT");
		assertThat(this.jdbc.sql(
				"select count(*) from online_refund r join online_payment p on p.id = r.online_payment_id where p.id = :id")
			.param("id", kept.get("id"))
			.query(Integer.class)
			.single()).isZero();
	}

	@Test
	void aRefundAtTheDeskToTheOnlineMethodGoesBackThroughYooKassaAndIsShownOnTheBill() throws Exception {
		Map<String, Object> paid = paidVisit(at(2, DayOfWeek.MONDAY, 16), "Зоя");
		long bill = ((Number) paid.get("bill_id")).longValue();
		long line = this.jdbc.sql("select id from bill_line where bill_id = :bill")
			.param("bill", bill)
			.query(Long.class)
			.single();
		this.mvc.perform(post("/billing/bills/{id}/refund", bill).with(this.logins.as("owner"))
			.with(csrf())
			.param("line", String.valueOf(line))
			.param("amount", "300")
			.param("to", "ONLINE")
			.param("reason", "Часть процедуры не проведена")
			.param("key", UUID.randomUUID().toString()));
		assertThat(transfers(bill)).hasSize(2);
		await().atMost(Duration.ofSeconds(10)).until(() -> refundsOf(paid).size() == 1);
		assertThat(text(get("/billing/bills/" + bill).with(this.logins.as("owner")))).contains("Возврат на карту")
			.contains("300 ₽")
			.contains("ждёт отправки");
		yookassa.next("500");
		this.online.sendRefunds();
		assertThat(refundsOf(paid).get(0)).containsEntry("status", "PENDING").containsEntry("attempts", 1);
		this.jdbc.sql("update online_refund set next_at = now() where online_payment_id = :id")
			.param("id", paid.get("id"))
			.update();
		this.online.sendRefunds();
		assertThat(refundsOf(paid).get(0)).containsEntry("status", "SUCCEEDED");
		assertThat(yookassa.requests("POST", "refunds")
			.stream()
			.filter(r -> r.get("body").toString().contains((String) paid.get("provider_id")))
			.map(r -> this.json.readTree((String) r.get("body")).path("amount").path("value").asString())
			.distinct()).containsExactly("300.00");
		assertThat(text(get("/billing/bills/" + bill).with(this.logins.as("owner")))).contains("выполнен");
	}

	private List<Map<String, Object>> refundsOf(Map<String, Object> payment) {
		return this.jdbc.sql("select * from online_refund where online_payment_id = :id order by id")
			.param("id", payment.get("id"))
			.query()
			.listOfRows();
	}

	@Test
	void aPatientBuysAPackageOnlineAndItIsOnTheirCardOnceThePaymentIsIn() throws Exception {
		long product = this.products
			.add(new dev.klinika.catalog.PackageProducts.Definition("5 визитов онлайн " + this.clinic.plainService(),
					dev.klinika.catalog.PackageProducts.Kind.VISITS, this.clinic.plainService(), null, 5,
					new BigDecimal("6000.00"), 90, dev.klinika.catalog.PackageProducts.ValidFrom.SALE, 0, false));
		assertThat(text(get("/book/" + this.clinic.branch()))).contains("Купить абонемент онлайн");
		String shop = "/book/" + this.clinic.branch() + "/packages";
		assertThat(text(get(shop))).contains("5 визитов онлайн").contains("6 000 ₽").contains("действует 90 дн.");
		String form = text(get(shop + "/" + product));
		Matcher token = Pattern.compile("name=\"token\" value=\"([^\"]+)\"").matcher(form);
		assertThat(token.find()).isTrue();
		// Without consent nothing is bought, and the field says so.
		assertThat(text(post(shop + "/" + product).with(csrf())
			.param("token", token.group(1))
			.param("name", "Алла")
			.param("phone", "+7 916 321-00-11"))).contains("Без согласия");
		assertThat(this.jdbc.sql("select count(*) from online_payment where order_token = :t")
			.param("t", token.group(1))
			.query(Integer.class)
			.single()).isZero();
		var buy = post(shop + "/" + product).with(csrf())
			.param("token", token.group(1))
			.param("surname", "Абонементова")
			.param("name", "Алла")
			.param("phone", "+7 916 321-00-11")
			.param("consent", "true");
		String page = text(buy);
		assertThat(page).contains("Оплата абонемента").contains("К оплате: 6 000 ₽");
		assertThat(payLink(text(buy))).isEqualTo(payLink(page));
		Map<String, Object> payment = payment(token.group(1));
		assertThat(payment).containsEntry("purpose", "PACKAGE").containsEntry("status", "PENDING");
		var created = this.json.readTree((String) creates(payment).get(0).get("body"));
		assertThat(created.path("capture").asBoolean(false)).isTrue();
		assertThat(created.path("amount").path("value").asString()).isEqualTo("6000.00");
		assertThat(creates(payment)).hasSize(1);

		yookassa.pay((String) payment.get("provider_id"));
		assertThat(text(get("/book/pay/" + payment.get("key")))).contains("Абонемент оплачен")
			.contains("5 визитов онлайн");
		Map<String, Object> paid = payment(token.group(1));
		assertThat(paid.get("status")).isEqualTo("PAID");
		long bill = ((Number) paid.get("bill_id")).longValue();
		var sold = this.jdbc
			.sql("select patient_id, product_id, units, price, bill_id from patient_package where bill_id = :bill")
			.param("bill", bill)
			.query()
			.singleRow();
		assertThat(sold.get("patient_id")).isEqualTo(paid.get("patient_id"));
		assertThat(sold.get("product_id")).isEqualTo(product);
		assertThat((BigDecimal) sold.get("units")).isEqualByComparingTo("5");
		assertThat((BigDecimal) sold.get("price")).isEqualByComparingTo("6000");
		assertThat(transfers(bill)).extracting(t -> t.get("code") + " " + t.get("method"))
			.containsExactlyInAnyOrder("PAYMENT ONLINE", "PACKAGE_SOLD PACKAGE");
		// The return opened again sells nothing twice.
		text(get("/book/pay/" + payment.get("key")));
		assertThat(this.jdbc.sql("select count(*) from patient_package where bill_id = :bill")
			.param("bill", bill)
			.query(Integer.class)
			.single()).isEqualTo(1);
	}

	@Test
	void yooKassaAnswering500LosesNothingAndTheRetryIsTheSamePayment() throws Exception {
		Instant start = at(3, DayOfWeek.MONDAY, 10);
		String hold = hold(start, this.clinic.first());
		yookassa.next("500");
		String page = confirmRaw(hold, start, this.clinic.first(), "Юлия");
		assertThat(page).contains("Оплата сейчас недоступна");
		Map<String, Object> waiting = payment(hold);
		assertThat(waiting).containsEntry("status", "CREATED");
		assertThat(waiting.get("provider_id")).isNull();
		String retried = confirm(hold, start, this.clinic.first(), "Юлия");
		assertThat(payment(hold)).containsEntry("status", "PENDING");
		List<Map<String, Object>> creates = yookassa.requests("POST", "payments")
			.stream()
			.filter(r -> waiting.get("key").equals(r.get("key")))
			.toList();
		assertThat(creates).hasSize(2);
		assertThat(payLink(retried)).contains((String) payment(hold).get("provider_id"));
	}

	@Test
	void theBookingApiAsksForAHoldAndAnswersThePaymentUntilItIsPaid() throws Exception {
		Instant start = at(3, DayOfWeek.TUESDAY, 15);
		String order = """
				{"branch":%d,"service":%d,"staff":%d,"start":"%s","surname":"Сайтова","name":"Оля",
				 "phone":"+7 916 555-01-02","consent":true,"hold":%s,"website":null}""";
		this.mvc
			.perform(post("/api/public/v1/bookings").contentType(MediaType.APPLICATION_JSON)
				.header("Idempotency-Key", UUID.randomUUID().toString())
				.content(order.formatted(this.clinic.branch(), this.clinic.plainService(), this.clinic.first(), start,
						"null")))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.reason").value("HOLD_REQUIRED"));
		assertThat(visitsAt(start)).isZero();
		String hold = hold(start, this.clinic.first());
		String key = UUID.randomUUID().toString();
		String body = order.formatted(this.clinic.branch(), this.clinic.plainService(), this.clinic.first(), start,
				"\"" + hold + "\"");
		String answer = this.mvc
			.perform(post("/api/public/v1/bookings").contentType(MediaType.APPLICATION_JSON)
				.header("Idempotency-Key", key)
				.content(body))
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.status").value("payment_required"))
			.andExpect(jsonPath("$.amount").value(1000.00))
			.andExpect(jsonPath("$.currency").value("RUB"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		this.mvc
			.perform(post("/api/public/v1/bookings").contentType(MediaType.APPLICATION_JSON)
				.header("Idempotency-Key", key)
				.content(body))
			.andExpect(status().isAccepted())
			.andExpect(content().json(answer));
		String statusUrl = JsonPath.read(answer, "$.statusUrl");
		this.mvc.perform(get(statusUrl))
			.andExpect(jsonPath("$.status").value("PENDING"))
			.andExpect(jsonPath("$.booking").doesNotExist());
		yookassa.pay((String) payment(hold).get("provider_id"));
		this.mvc.perform(get(statusUrl))
			.andExpect(jsonPath("$.status").value("PAID"))
			.andExpect(jsonPath("$.booking").value((String) payment(hold).get("public_code")));
		assertThat(visitsAt(start)).isEqualTo(1);
	}

	@Test
	void theSettingsRefuseAProviderThatIsNotThereAndAWindowOutOfRange() throws Exception {
		this.mvc
			.perform(post("/billing/settings/online").with(this.logins.as("owner"))
				.with(csrf())
				.param("provider", "PAYPAL")
				.param("refundHours", "24"))
			.andExpect(flash("billing.refused.providerChoice"));
		this.mvc
			.perform(post("/billing/settings/online").with(this.logins.as("owner"))
				.with(csrf())
				.param("provider", "YOOKASSA")
				.param("refundHours", "1000"))
			.andExpect(flash("billing.refused.refundHours"));
		this.mvc
			.perform(post("/billing/settings/online").with(this.logins.as("owner"))
				.with(csrf())
				.param("provider", "YOOKASSA")
				.param("refundHours", "-1"))
			.andExpect(flash("billing.refused.refundHours"));
		assertThat(this.jdbc.sql("select prepay_refund_hours from billing_settings").query(Integer.class).single())
			.isEqualTo(24);
		this.mvc.perform(post("/billing/settings/online").with(this.logins.as("owner"))
			.with(csrf())
			.param("provider", "SANDBOX")
			.param("refundHours", "48"));
		assertThat(this.jdbc.sql("select online_provider || ' ' || prepay_refund_hours from billing_settings")
			.query(String.class)
			.single()).isEqualTo("SANDBOX 48");
		this.mvc
			.perform(post("/billing/settings/prepaid").with(this.logins.as("owner"))
				.with(csrf())
				.param("service", String.valueOf(this.clinic.plainService()))
				.param("amount", "-5"))
			.andExpect(flash("billing.refused.amountNegative"));
		this.mvc
			.perform(post("/billing/settings/prepaid").with(this.logins.as("admin"))
				.with(csrf())
				.param("service", String.valueOf(this.clinic.plainService()))
				.param("on", "false"))
			.andExpect(status().isForbidden());
		assertThat(this.jdbc.sql("select amount from prepayment_service where service_id = :id")
			.param("id", this.clinic.plainService())
			.query(BigDecimal.class)
			.single()).isEqualByComparingTo("1000");
	}

	/** A page's text with the spaces money is written with made plain. */
	private String text(org.springframework.test.web.servlet.RequestBuilder request) throws Exception {
		return plain(this.mvc.perform(request)
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8));
	}

	private static String plain(String page) {
		return page.replace('\u00a0', ' ').replace('\u202f', ' ');
	}

	private static org.springframework.test.web.servlet.ResultMatcher flash(String key) {
		return result -> assertThat(String.valueOf(result.getFlashMap().get("flashErrorKey"))).isEqualTo(key);
	}

	/** A visit booked and paid online through the page. */
	private Map<String, Object> paidVisit(Instant start, String name) throws Exception {
		String hold = hold(start, this.clinic.first());
		confirm(hold, start, this.clinic.first(), name);
		String id = (String) payment(hold).get("provider_id");
		yookassa.pay(id);
		notify("payment.waiting_for_capture", id).andExpect(status().isOk());
		Map<String, Object> paid = payment(hold);
		assertThat(paid.get("status")).isEqualTo("PAID");
		return paid;
	}

	/** The requests that created this payment at YooKassa. */
	private static List<Map<String, Object>> creates(Map<String, Object> payment) {
		return yookassa.requests("POST", "payments")
			.stream()
			.filter(r -> payment.get("key").equals(r.get("key")))
			.toList();
	}

	private Instant at(int weeks, DayOfWeek day, int hour) {
		return LocalDate.now(MOSCOW)
			.plusWeeks(weeks)
			.with(TemporalAdjusters.nextOrSame(day))
			.atTime(hour, 0)
			.atZone(MOSCOW)
			.toInstant();
	}

	private String times() {
		return "/book/" + this.clinic.branch() + "/" + this.clinic.plainService();
	}

	private String hold(Instant start, long staff) throws Exception {
		return JsonPath.read(this.mvc
			.perform(post("/api/public/v1/holds").contentType(MediaType.APPLICATION_JSON)
				.content("{\"branch\":%d,\"service\":%d,\"staff\":%d,\"start\":\"%s\"}".formatted(this.clinic.branch(),
						this.clinic.plainService(), staff, start)))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString(), "$.token");
	}

	private String confirm(String hold, Instant start, long staff, String name) throws Exception {
		String page = confirmRaw(hold, start, staff, name);
		assertThat(page).contains("id=\"pay-link\"");
		return page;
	}

	private String confirmRaw(String hold, Instant start, long staff, String name) throws Exception {
		return this.mvc
			.perform(post(times() + "/confirm").with(csrf())
				.param("hold", hold)
				.param("staff", String.valueOf(staff))
				.param("start", start.toString())
				.param("surname", "Предоплатова")
				.param("name", name)
				.param("phone", "+7 916 444-33-22")
				.param("consent", "true"))
			.andReturn()
			.getResponse()
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
	}

	private static String payLink(String page) {
		Matcher link = PAY_LINK.matcher(page);
		assertThat(link.find()).as("a link to the payment page").isTrue();
		return link.group(1).replace("&amp;", "&");
	}

	private org.springframework.test.web.servlet.ResultActions notify(String event, String id) throws Exception {
		return this.mvc.perform(post("/api/hooks/yookassa").contentType(MediaType.APPLICATION_JSON).content("""
				{"type":"notification","event":"%s","object":{"id":"%s","status":"succeeded","paid":true,
				 "amount":{"value":"1000.00","currency":"RUB"}}}""".formatted(event, id)));
	}

	private Map<String, Object> payment(String hold) {
		return this.jdbc.sql("select * from online_payment where order_token = :h")
			.param("h", hold)
			.query()
			.singleRow();
	}

	private int visitsAt(Instant start) {
		return this.jdbc
			.sql("""
					select count(*) from appointment where branch_id = :branch and lower(during) = :start and status <> 'CANCELLED'
					""")
			.param("branch", this.clinic.branch())
			.param("start", java.time.OffsetDateTime.ofInstant(start, java.time.ZoneOffset.UTC))
			.query(Integer.class)
			.single();
	}

	private List<Instant> freeTimes(Instant start) throws Exception {
		String day = start.atZone(MOSCOW).toLocalDate().toString();
		List<String> starts = JsonPath.read(
				this.mvc
					.perform(get("/api/public/v1/free-slots").param("branch", String.valueOf(this.clinic.branch()))
						.param("service", String.valueOf(this.clinic.plainService()))
						.param("staff", String.valueOf(this.clinic.first()))
						.param("from", day)
						.param("to", day))
					.andReturn()
					.getResponse()
					.getContentAsString(),
				"$..start");
		return starts.stream().map(s -> java.time.OffsetDateTime.parse(s).toInstant()).toList();
	}

	private List<Map<String, Object>> transfers(long bill) {
		return this.jdbc.sql("select * from ledger_transfer where bill_id = :bill order by id")
			.param("bill", bill)
			.query()
			.listOfRows();
	}

	private long anyPatient() {
		return this.jdbc
			.sql("select id from patient where merged_into is null and erased_at is null order by id limit 1")
			.query(Long.class)
			.single();
	}

}
