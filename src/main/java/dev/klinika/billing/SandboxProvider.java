package dev.klinika.billing;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.shared.Money;

/**
 * The demo's payment provider: it behaves as YooKassa does (a key sent again is the same
 * payment, two-stage payments wait to be captured or cancelled, refunds never exceed what
 * was taken), and its payment page is Klinika's own, where the patient pays or declines
 * with one button. Nothing leaves the machine; no card is asked.
 */
@Component
class SandboxProvider implements PaymentProvider {

	/** Where the sandbox's payment page is: under the public booking pages. */
	static final String PAGE = "/book/pay/sandbox/";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	SandboxProvider(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public String name() {
		return "SANDBOX";
	}

	/** A sandbox payment as its page shows it. */
	record Page(String id, Money amount, String description, Status status, String returnUrl) {
	}

	@Override
	@Transactional
	public Payment create(String key, Money amount, String description, String returnUrl, boolean capture) {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		this.jdbc
			.sql("""
					insert into sandbox_payment (id, idempotence_key, amount, currency, capture, status, description, return_url)
					values (:id, :key, :amount, :currency, :capture, 'pending', :description, :back)
					on conflict (idempotence_key) do nothing
					""")
			.param("id", "sbx-" + HexFormat.of().formatHex(bytes))
			.param("key", key)
			.param("amount", amount.amount())
			.param("currency", amount.currency().getCurrencyCode())
			.param("capture", capture)
			.param("description", description)
			.param("back", returnUrl)
			.update();
		String id = this.jdbc.sql("select id from sandbox_payment where idempotence_key = :key")
			.param("key", key)
			.query(String.class)
			.single();
		return find(id);
	}

	@Override
	public Payment find(String id) {
		return page(id).map(page -> new Payment(page.id(), page.status(), page.amount(), PAGE + page.id()))
			.orElseThrow(() -> new java.util.NoSuchElementException("sandbox payment " + id));
	}

	Optional<Page> page(String id) {
		return this.jdbc.sql("""
				select id, amount, currency, description, status, return_url from sandbox_payment where id = :id
				""")
			.param("id", id)
			.query((rs, n) -> new Page(rs.getString(1),
					Money.of(rs.getBigDecimal(2), java.util.Currency.getInstance(rs.getString(3))), rs.getString(4),
					Status.of(rs.getString(5)), rs.getString(6)))
			.optional();
	}

	/** The patient paid on the sandbox's page: the money is authorized or taken. */
	@Transactional
	void pay(String id) {
		this.jdbc.sql("""
				update sandbox_payment set status = case when capture then 'succeeded' else 'waiting_for_capture' end
				 where id = :id and status = 'pending'
				""").param("id", id).update();
	}

	/** The patient declined on the sandbox's page. */
	@Transactional
	void decline(String id) {
		move(id, "pending", "canceled");
	}

	@Override
	@Transactional
	public Payment capture(String id, Money amount, String key) throws Unreachable {
		move(id, "waiting_for_capture", "succeeded");
		return find(id);
	}

	@Override
	@Transactional
	public Payment cancel(String id, String key) throws Unreachable {
		move(id, "waiting_for_capture", "canceled");
		return find(id);
	}

	@Override
	@Transactional
	public Refund refund(String paymentId, Money amount, String key) throws Unreachable {
		int done = this.jdbc.sql("""
				update sandbox_payment set refunded = refunded + :amount
				 where id = :id and status = 'succeeded' and refunded + :amount <= amount
				""").param("amount", amount.amount()).param("id", paymentId).update();
		if (done == 0) {
			throw new Refused("sandbox: nothing to refund");
		}
		return new Refund("sbx-refund-" + key.hashCode(), "succeeded");
	}

	private void move(String id, String from, String to) {
		this.jdbc.sql("update sandbox_payment set status = :to where id = :id and status = :from")
			.param("to", to)
			.param("id", id)
			.param("from", from)
			.update();
	}

}
