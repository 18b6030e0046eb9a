package dev.klinika.billing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The patient's way back from paying (their payment settled on arrival, then the visit or
 * what went wrong), the sandbox provider's payment page, and YooKassa's notifications. No
 * login: a payment is reached only by its random key.
 */
@Controller
class OnlinePaymentController {

	/** A notification is a payment object of a few kilobytes; more is refused unread. */
	static final int MAX_NOTIFICATION = 64 * 1024;

	private final OnlinePayments online;

	private final SandboxProvider sandbox;

	private final BillingSettings settings;

	private final JsonMapper json;

	private final dev.klinika.catalog.PackageProducts products;

	OnlinePaymentController(OnlinePayments online, SandboxProvider sandbox, BillingSettings settings, JsonMapper json,
			dev.klinika.catalog.PackageProducts products) {
		this.products = products;
		this.online = online;
		this.sandbox = sandbox;
		this.settings = settings;
		this.json = json;
	}

	/** Where the provider sends the patient back. */
	@GetMapping("/book/pay/{key}")
	String back(@PathVariable String key, Model model) {
		OnlinePayments.View payment = this.online.settle(key).orElseThrow();
		if ("PAID".equals(payment.status()) && payment.code() != null) {
			return "redirect:/book/visit/" + payment.code();
		}
		model.addAttribute("payment", payment);
		model.addAttribute("packageName",
				payment.productId() == null ? null
						: this.products.find(payment.productId())
							.map(dev.klinika.catalog.PackageProducts.Product::name)
							.orElse(""));
		return "public/paid";
	}

	/**
	 * A payment as the clinic's website reads it: its state, and the booking once paid.
	 */
	record PaymentState(String status, @org.jspecify.annotations.Nullable String outcome,
			@org.jspecify.annotations.Nullable String booking, @org.jspecify.annotations.Nullable String calendar) {
	}

	/**
	 * The state of a prepayment started by the booking API, settled on asking: the
	 * website polls it after the patient comes back.
	 */
	@GetMapping(path = "/api/public/v1/payments/{key}", produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseBody
	ResponseEntity<PaymentState> state(@PathVariable String key) {
		return this.online.settle(key)
			.map(view -> ResponseEntity
				.ok(new PaymentState(view.status(), view.outcome(), "PAID".equals(view.status()) ? view.code() : null,
						"PAID".equals(view.status()) ? "/book/visit/" + view.code() + ".ics" : null)))
			.orElseGet(() -> ResponseEntity.notFound().build());
	}

	/** The sandbox's payment page: what is paid for, the amount, pay or decline. */
	@GetMapping(SandboxProvider.PAGE + "{id}")
	String sandboxPage(@PathVariable String id, Model model) {
		requireSandbox();
		model.addAttribute("payment", this.sandbox.page(id).orElseThrow());
		return "public/sandbox-pay";
	}

	@PostMapping(SandboxProvider.PAGE + "{id}")
	String sandboxAnswer(@PathVariable String id, @RequestParam(defaultValue = "") String answer) {
		requireSandbox();
		SandboxProvider.Page page = this.sandbox.page(id).orElseThrow();
		if ("pay".equals(answer)) {
			this.sandbox.pay(id);
		}
		else if ("decline".equals(answer)) {
			this.sandbox.decline(id);
		}
		else {
			// Neither button: nothing happens, the page is shown again.
			return "redirect:" + SandboxProvider.PAGE + id;
		}
		return "redirect:" + page.returnUrl();
	}

	private void requireSandbox() {
		if (!"SANDBOX".equals(this.settings.online().provider())) {
			throw new java.util.NoSuchElementException("the sandbox provider is off");
		}
	}

	/**
	 * YooKassa's notification ({@code type: notification}, {@code event},
	 * {@code object}): only the object's id is read, and what became of it is asked of
	 * YooKassa. An id Klinika never made is 404; a body that is not a notification is
	 * 400.
	 */
	@PostMapping(path = "/api/hooks/yookassa", consumes = MediaType.ALL_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseBody
	ResponseEntity<Map<String, Object>> yookassa(HttpServletRequest request) throws IOException {
		if (request.getContentLengthLong() > MAX_NOTIFICATION) {
			return ResponseEntity.status(413).body(Map.of("error", "the notification is too large"));
		}
		byte[] body = request.getInputStream().readNBytes(MAX_NOTIFICATION + 1);
		if (body.length > MAX_NOTIFICATION) {
			return ResponseEntity.status(413).body(Map.of("error", "the notification is too large"));
		}
		JsonNode notification;
		try {
			notification = this.json.readTree(new String(body, StandardCharsets.UTF_8));
		}
		catch (JacksonException ex) {
			return ResponseEntity.badRequest().body(Map.of("error", "the body is not JSON"));
		}
		String event = notification.path("event").asString("");
		String id = notification.path("object").path("id").asString("");
		if (!"notification".equals(notification.path("type").asString("")) || id.isEmpty() || id.length() > 64) {
			return ResponseEntity.badRequest().body(Map.of("error", "not a YooKassa notification"));
		}
		if (event.startsWith("refund.")) {
			return this.online.refundNotified(id) ? ResponseEntity.ok(Map.of("refund", id))
					: ResponseEntity.status(404).body(Map.of("error", "unknown refund " + id));
		}
		if (!event.startsWith("payment.")) {
			return ResponseEntity.badRequest().body(Map.of("error", "unknown event " + event));
		}
		Optional<OnlinePayments.View> payment = this.online.notified(id);
		return payment
			.<ResponseEntity<Map<String, Object>>>map(view -> ResponseEntity.ok(Map.of("status", view.status())))
			.orElseGet(() -> ResponseEntity.status(404).body(Map.of("error", "unknown payment " + id)));
	}

}
