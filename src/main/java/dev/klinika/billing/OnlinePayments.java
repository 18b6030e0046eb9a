package dev.klinika.billing;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.klinika.catalog.CatalogQueries;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCancelled;
import dev.klinika.scheduling.PrepaidBooking;
import dev.klinika.scheduling.Prepayments;
import dev.klinika.shared.Money;

/**
 * Prepayment of online bookings. The patient's time is held while they pay on the
 * provider's page; the payment is two-stage: once the provider says the money is
 * authorized, the time is booked and only then the money is taken, so a time taken
 * meanwhile costs the patient nothing (the authorization is cancelled). What a payment
 * has become is always asked of the provider by Klinika itself, on the patient's return,
 * on a notification (whose body is never trusted) and by a job every minute, so a lost
 * notification or a closed browser loses nothing. The money goes onto the visit's bill as
 * an {@code ONLINE} payment; a visit cancelled early enough gets it back to the card, a
 * later one keeps it on the patient's deposit.
 */
@Service
class OnlinePayments implements Prepayments {

	private static final Logger log = LoggerFactory.getLogger(OnlinePayments.class);

	private static final SecureRandom RANDOM = new SecureRandom();

	/** How long one settling of a payment may keep others off it. */
	private static final Duration LEASE = Duration.ofSeconds(60);

	/** How long after its hold a payment is still followed (a patient paying late). */
	private static final Duration FOLLOW = Duration.ofHours(2);

	private static final Set<String> OPEN = Set.of("CREATED", "PENDING", "AUTHORIZED");

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final Clock clock;

	private final BillingSettings settings;

	private final SandboxProvider sandbox;

	private final YooKassa yookassa;

	private final PrepaidBooking booking;

	private final Bills bills;

	private final Payments payments;

	private final CatalogQueries catalog;

	private final dev.klinika.security.AuditLog audit;

	private final dev.klinika.organization.ClinicProfile clinic;

	private final dev.klinika.catalog.PackageProducts products;

	OnlinePayments(JdbcClient jdbc, TransactionTemplate transaction, Clock clock, BillingSettings settings,
			SandboxProvider sandbox, YooKassa yookassa, PrepaidBooking booking, Bills bills, Payments payments,
			CatalogQueries catalog, dev.klinika.security.AuditLog audit, dev.klinika.organization.ClinicProfile clinic,
			dev.klinika.catalog.PackageProducts products) {
		this.products = products;
		this.clinic = clinic;
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.clock = clock;
		this.settings = settings;
		this.sandbox = sandbox;
		this.yookassa = yookassa;
		this.booking = booking;
		this.bills = bills;
		this.payments = payments;
		this.catalog = catalog;
		this.audit = audit;
	}

	/** A payment as its pages show it. */
	record View(String key, String purpose, String status, @Nullable String outcome, @Nullable String code,
			@Nullable String confirmationUrl, long branchId, @Nullable Long serviceId, Money amount,
			@Nullable Long productId) {

		/** Still to be paid or settled: the page asks again. */
		public boolean waiting() {
			return OPEN.contains(this.status);
		}

	}

	private record Row(long id, String key, String purpose, String provider, @Nullable String providerId, String status,
			Money amount, long branchId, long patientId, @Nullable Long serviceId, @Nullable Long staffId,
			@Nullable Instant start, @Nullable Long productId, String orderToken, @Nullable Long appointmentId,
			@Nullable String code, @Nullable String confirmationUrl, @Nullable String outcome, Instant expiresAt) {

		View view() {
			return new View(this.key, this.purpose, this.status, this.outcome, this.code, this.confirmationUrl,
					this.branchId, this.serviceId, this.amount, this.productId);
		}

		boolean visit() {
			return "VISIT".equals(this.purpose);
		}

	}

	@Override
	public Optional<Money> required(long branchId, long serviceId, LocalDate day) {
		if (!this.settings.online().on()) {
			return Optional.empty();
		}
		return this.jdbc.sql("select amount from prepayment_service where service_id = :service")
			.param("service", serviceId)
			.query((rs, n) -> Optional.ofNullable(rs.getBigDecimal(1)))
			.optional()
			.flatMap(asked -> this.catalog.billedPriceOn(serviceId, day)
				.map(price -> asked.map(amount -> Money.of(amount, price.currency()).min(price)).orElse(price)))
			.filter(Money::isPositive);
	}

	@Override
	public Started start(Order order) {
		Row row = this.transaction.execute(status -> {
			lockOrder(order.holdToken());
			return byOrder(order.holdToken()).orElseGet(() -> insert(order));
		});
		return open(java.util.Objects.requireNonNull(row), order.description(), order.returnUrl(), false);
	}

	/**
	 * Starts the payment of a package bought online: its price taken at once (nothing is
	 * reserved, so one stage), the package sold when the money is in. The same form's
	 * token sent again answers the same payment.
	 */
	@Override
	public List<OnlinePackage> packagesForSale() {
		if (!this.settings.online().on()) {
			return List.of();
		}
		return this.products.active()
			.stream()
			.map(p -> new OnlinePackage(p.id(), p.name(), p.price(), p.target(), p.visits(), p.validityDays(),
					p.shareable()))
			.toList();
	}

	@Override
	public Started startPackage(PackageOrder order) {
		return startPackage(order.patientId(), order.branchId(), order.productId(), order.token(), order.returnUrl());
	}

	private Started startPackage(long patientId, long branchId, long productId, String token, String returnUrl) {
		if (!this.settings.online().on()) {
			throw new Unavailable("no payment provider");
		}
		record Product(String name, java.math.BigDecimal price, boolean active) {
		}
		Product product = this.jdbc.sql("select name, price, active from catalog_package_v where id = :id")
			.param("id", productId)
			.query(Product.class)
			.optional()
			.filter(Product::active)
			.orElseThrow(() -> new java.util.NoSuchElementException("package product " + productId));
		Row row = this.transaction.execute(status -> {
			lockOrder(token);
			return byOrder(token).orElseGet(() -> {
				String key = newKey();
				this.jdbc
					.sql("""
							insert into online_payment (key, purpose, provider, status, amount, currency, branch_id, patient_id,
							       package_product_id, order_token, expires_at)
							values (:key, 'PACKAGE', :provider, 'CREATED', :amount, :currency, :branch, :patient, :product, :token,
							        :expires)
							""")
					.param("key", key)
					.param("provider", this.settings.online().provider())
					.param("amount", product.price())
					.param("currency", this.clinic.current().getCurrency().getCurrencyCode())
					.param("branch", branchId)
					.param("patient", patientId)
					.param("product", productId)
					.param("token", token)
					.param("expires", utc(now().plus(Duration.ofHours(1))))
					.update();
				return byKey(key).orElseThrow();
			});
		});
		return open(java.util.Objects.requireNonNull(row), "Абонемент: " + product.name(), returnUrl, true);
	}

	private void lockOrder(String token) {
		this.jdbc.sql("select pg_advisory_xact_lock(4245, hashtext(:token))")
			.param("token", token)
			.query()
			.listOfRows();
	}

	/**
	 * The payment at the provider: made once under the row's key (a retry after the
	 * provider failed makes it then, with the same key), its page kept.
	 */
	private Started open(Row row, String description, String returnUrl, boolean capture) {
		if (row.confirmationUrl() != null) {
			return new Started(row.key(), row.amount(), row.confirmationUrl());
		}
		if (!OPEN.contains(row.status())) {
			throw new Unavailable("the payment is over");
		}
		PaymentProvider provider = provider(row.provider());
		try {
			PaymentProvider.Payment created = provider.create(row.key(), row.amount(), description,
					returnUrl + row.key(), capture);
			if (created.confirmationUrl() == null) {
				throw new Unavailable("the provider gave no payment page");
			}
			this.jdbc
				.sql("""
						update online_payment set provider_id = :pid, confirmation_url = :url, status = 'PENDING', updated_at = now()
						 where id = :id and status = 'CREATED'
						""")
				.param("pid", created.id())
				.param("url", created.confirmationUrl())
				.param("id", row.id())
				.update();
			return new Started(row.key(), row.amount(), created.confirmationUrl());
		}
		catch (PaymentProvider.Unreachable ex) {
			log.warn("Online payment {} not created: {}", row.key(), ex.getMessage());
			throw new Unavailable(ex.getMessage());
		}
	}

	private Row insert(Order order) {
		BillingSettings.Online online = this.settings.online();
		Money amount = required(order.branchId(), order.serviceId(), order.day())
			.orElseThrow(() -> new Unavailable("no prepayment for this service"));
		String key = newKey();
		this.jdbc
			.sql("""
					insert into online_payment (key, purpose, provider, status, amount, currency, branch_id, patient_id,
					       service_id, staff_id, starts_at, order_token, expires_at)
					values (:key, 'VISIT', :provider, 'CREATED', :amount, :currency, :branch, :patient, :service, :staff, :start,
					        :hold, :expires)
					""")
			.param("key", key)
			.param("provider", online.provider())
			.param("amount", amount.amount())
			.param("currency", amount.currency().getCurrencyCode())
			.param("branch", order.branchId())
			.param("patient", order.patientId())
			.param("service", order.serviceId())
			.param("staff", order.staffId())
			.param("start", utc(order.start()))
			.param("hold", order.holdToken())
			.param("expires", utc(order.holdUntil()))
			.update();
		return byKey(key).orElseThrow();
	}

	@Override
	public Set<Long> prepaid(Collection<Long> appointments) {
		if (appointments.isEmpty()) {
			return Set.of();
		}
		return Set.copyOf(this.jdbc
			.sql("select appointment_id from online_payment where status = 'PAID' and appointment_id in (:ids)")
			.param("ids", appointments)
			.query(Long.class)
			.list());
	}

	@Override
	public Optional<Paid> paid(long appointmentId) {
		int hours = this.settings.online().refundHours();
		return this.jdbc.sql(select() + " where appointment_id = :visit and status = 'PAID'")
			.param("visit", appointmentId)
			.query(OnlinePayments::row)
			.optional()
			.map(row -> {
				Instant until = row.start().minus(Duration.ofHours(hours));
				return new Paid(row.amount(), until, !now().isAfter(until));
			});
	}

	/**
	 * Asks the provider what became of the payment and follows it: books the time and
	 * takes the money when it is authorized, cancels the authorization when the time is
	 * gone, lets the time go when the payment failed or its hold ran out. One settling at
	 * a time per payment; a second one meanwhile answers the payment as it stands.
	 */
	Optional<View> settle(String key) {
		if (!key.matches("[A-Za-z0-9_-]{16,64}")) {
			return Optional.empty();
		}
		Optional<Row> found = byKey(key);
		if (found.isEmpty() || !followed(found.get())) {
			return found.map(Row::view);
		}
		boolean claimed = this.jdbc.sql("""
				update online_payment set settling_until = :until
				 where key = :key and (settling_until is null or settling_until < :now)
				""").param("until", utc(now().plus(LEASE))).param("key", key).param("now", utc(now())).update() == 1;
		if (claimed) {
			try {
				advance(byKey(key).orElseThrow());
			}
			catch (PaymentProvider.Unreachable ex) {
				log.warn("Online payment {} not settled now: {}", key, ex.getMessage());
			}
			finally {
				this.jdbc.sql("update online_payment set settling_until = null where key = :key")
					.param("key", key)
					.update();
			}
		}
		return byKey(key).map(Row::view);
	}

	/** A payment still open, or expired lately (its patient may still pay). */
	private boolean followed(Row row) {
		return OPEN.contains(row.status()) || ("EXPIRED".equals(row.status()) && row.providerId() != null
				&& now().isBefore(row.expiresAt().plus(FOLLOW)));
	}

	private void advance(Row row) throws PaymentProvider.Unreachable {
		if (row.providerId() == null) {
			if (now().isAfter(row.expiresAt())) {
				close(row, "EXPIRED", "EXPIRED");
			}
			return;
		}
		PaymentProvider provider = provider(row.provider());
		PaymentProvider.Payment remote = provider.find(row.providerId());
		if (remote.amount().compareTo(row.amount()) != 0) {
			// Not the payment Klinika asked for: never book or take it.
			log.warn("Online payment {} has {} at the provider, not {}", row.key(), remote.amount(), row.amount());
			return;
		}
		if (!row.visit()) {
			advancePackage(row, provider, remote);
			return;
		}
		switch (remote.status()) {
			case PENDING -> expireIfDue(row);
			case WAITING_FOR_CAPTURE -> {
				Optional<PrepaidBooking.Booked> booked = booked(row);
				if (booked.isEmpty()) {
					provider.cancel(row.providerId(), row.key() + "-cancel");
					close(row, "CANCELLED", "TAKEN");
					return;
				}
				PaymentProvider.Payment captured = provider.capture(row.providerId(), row.amount(),
						row.key() + "-capture");
				if (captured.status() == PaymentProvider.Status.SUCCEEDED) {
					paid(row, booked.get());
				}
			}
			case SUCCEEDED -> {
				Optional<PrepaidBooking.Booked> booked = booked(row);
				if (booked.isPresent()) {
					paid(row, booked.get());
				}
				else {
					// Taken without a visit (never so by Klinika's own order of steps):
					// the money goes back whole.
					close(row, "CANCELLED", "TAKEN");
					queueRefund(row.id(), row.key() + "-back", row.amount());
				}
			}
			case CANCELED -> {
				if (row.appointmentId() != null) {
					this.booking.cancelUnpaid(row.appointmentId());
				}
				close(row, "CANCELLED", "DECLINED");
			}
		}
	}

	/** A package's payment: taken at once; the package is sold when it is in. */
	private void advancePackage(Row row, PaymentProvider provider, PaymentProvider.Payment remote)
			throws PaymentProvider.Unreachable {
		PaymentProvider.Payment payment = remote;
		if (payment.status() == PaymentProvider.Status.WAITING_FOR_CAPTURE) {
			payment = provider.capture(row.providerId(), row.amount(), row.key() + "-capture");
		}
		switch (payment.status()) {
			case SUCCEEDED -> paid(row, () -> this.bills.packageBillBySystem(row.patientId(), row.branchId(),
					java.util.Objects.requireNonNull(row.productId()), row.amount()));
			case CANCELED -> close(row, "CANCELLED", "DECLINED");
			case PENDING -> expireIfDue(row);
			case WAITING_FOR_CAPTURE -> {
				// Captured on the next settling.
			}
		}
	}

	/**
	 * The visit of a payment: the one booked for it before, or one booked now on its hold
	 * (or on its time, if the hold ran out and nobody took it).
	 */
	private Optional<PrepaidBooking.Booked> booked(Row row) {
		if (row.appointmentId() != null) {
			return Optional
				.of(new PrepaidBooking.Booked(row.appointmentId(), java.util.Objects.requireNonNull(row.code())));
		}
		// The visit's code is kept before it is booked: a settling cut short after the
		// booking finds its visit by it, and never books the time a second time.
		String code = row.code();
		if (code == null) {
			code = newKey();
			this.jdbc.sql("update online_payment set public_code = :code where id = :id")
				.param("code", code)
				.param("id", row.id())
				.update();
		}
		String kept = code;
		Optional<PrepaidBooking.Booked> booked = this.booking.byCode(kept)
			.or(() -> this.booking.book(new PrepaidBooking.Held(row.patientId(), row.branchId(),
					java.util.Objects.requireNonNull(row.serviceId()), java.util.Objects.requireNonNull(row.staffId()),
					java.util.Objects.requireNonNull(row.start()), row.orderToken(), kept)));
		booked.ifPresent(visit -> this.jdbc
			.sql("""
					update online_payment set appointment_id = :visit, status = 'AUTHORIZED', updated_at = now() where id = :id
					""")
			.param("visit", visit.appointmentId())
			.param("id", row.id())
			.update());
		return booked;
	}

	/** The money onto the visit's bill, once. */
	private void paid(Row row, PrepaidBooking.Booked visit) {
		paid(row, () -> this.bills.forVisitBySystem(visit.appointmentId()));
	}

	/**
	 * The money onto the bill it pays (the visit's, or the package's made now) and the
	 * payment paid, in one transaction.
	 */
	private void paid(Row row, java.util.function.LongSupplier billOf) {
		this.transaction.executeWithoutResult(status -> {
			long bill = billOf.getAsLong();
			this.payments.payOnline(bill, row.amount(), "online:" + row.key());
			this.jdbc
				.sql("""
						update online_payment set status = 'PAID', bill_id = :bill, outcome = null, updated_at = now() where id = :id
						""")
				.param("bill", bill)
				.param("id", row.id())
				.update();
			this.audit.record("PREPAYMENT_RECEIVED", "bill", bill, row.provider() + " " + row.amount().amount());
		});
	}

	/** A payment still waiting for its patient past its hold: the time is let go. */
	private void expireIfDue(Row row) {
		if (now().isAfter(row.expiresAt()) && !"EXPIRED".equals(row.status())) {
			close(row, "EXPIRED", "EXPIRED");
		}
	}

	private void close(Row row, String status, String outcome) {
		this.jdbc
			.sql("update online_payment set status = :status, outcome = :outcome, updated_at = now() where id = :id")
			.param("status", status)
			.param("outcome", outcome)
			.param("id", row.id())
			.update();
		if (row.visit()) {
			this.booking.release(row.orderToken());
		}
	}

	/**
	 * A prepaid visit cancelled: early enough (the clinic's hours before its start), the
	 * prepayment goes back to the card it came from; later, onto the patient's deposit,
	 * for the next visit or a refund at the desk.
	 */
	@ApplicationModuleListener
	void on(AppointmentCancelled cancelled) {
		Optional<Row> found = this.jdbc.sql(select() + " where appointment_id = :visit and status = 'PAID'")
			.param("visit", cancelled.appointment())
			.query(OnlinePayments::row)
			.optional();
		if (found.isEmpty()) {
			return;
		}
		Row row = found.get();
		long billId = this.jdbc.sql("select bill_id from online_payment where id = :id")
			.param("id", row.id())
			.query(Long.class)
			.single();
		boolean early = !now().isAfter(cancelled.start().minus(Duration.ofHours(this.settings.online().refundHours())));
		PaymentMethod to = early ? PaymentMethod.ONLINE : PaymentMethod.DEPOSIT;
		this.transaction.executeWithoutResult(status -> {
			BillView view = BillView.read(this.jdbc, billId).orElseThrow();
			Money left = row.amount()
				.min(view.refundableByMethod().getOrDefault(PaymentMethod.ONLINE, Money.zero(row.amount().currency())));
			Money back = Money.zero(left.currency());
			for (BillView.Line line : view.lines()) {
				Money part = left.minus(back).min(line.refundable());
				if (part.isPositive()) {
					this.payments.refundBySystem(billId, line.id(), part, to,
							early ? "Отмена визита заранее: предоплата возвращена на карту"
									: "Поздняя отмена визита: предоплата оставлена на депозите",
							"prepay-back:" + row.key() + ":" + line.id());
					back = back.plus(part);
				}
			}
		});
	}

	/**
	 * Money refunded by the {@code ONLINE} method (a prepaid visit cancelled early, or
	 * the desk's refund) goes back through the provider: queued under the refund's batch,
	 * which is the provider's idempotence key.
	 */
	@ApplicationModuleListener
	void on(BillingEvents.PaymentRefunded refunded) {
		if (refunded.to() != PaymentMethod.ONLINE) {
			return;
		}
		Optional<Long> payment = this.jdbc
			.sql("select id from online_payment where bill_id = :bill and status = 'PAID' order by id limit 1")
			.param("bill", refunded.bill())
			.query(Long.class)
			.optional();
		if (payment.isEmpty()) {
			log.warn("Bill {} refunded {} online, but no online payment of it is known: return it by hand",
					refunded.bill(), refunded.amount());
			return;
		}
		queueRefund(payment.get(), "refund-" + refunded.batch(), refunded.amount());
	}

	/** A refund to the card as the bill's page shows it. */
	record RefundView(Money amount, String status, @Nullable String failure, Instant at) {
	}

	List<RefundView> refundsOfBill(long billId) {
		return this.jdbc.sql("""
				select r.amount, p.currency, r.status, r.failure, r.created_at
				  from online_refund r join online_payment p on p.id = r.online_payment_id
				 where p.bill_id = :bill order by r.id
				""")
			.param("bill", billId)
			.query((rs, n) -> new RefundView(
					Money.of(rs.getBigDecimal(1), Currency.getInstance(rs.getString(2).trim())), rs.getString(3),
					rs.getString(4), rs.getObject(5, OffsetDateTime.class).toInstant()))
			.list();
	}

	private void queueRefund(long paymentId, String key, Money amount) {
		this.jdbc
			.sql("""
					insert into online_refund (key, online_payment_id, amount, status) values (:key, :payment, :amount, 'PENDING')
					on conflict (key) do nothing
					""")
			.param("key", key)
			.param("payment", paymentId)
			.param("amount", amount.amount())
			.update();
	}

	/**
	 * Every minute: the payments still open (their notification may be lost, their
	 * patient gone), and the refunds still to reach the provider.
	 */
	void runDue() {
		List<String> open = this.jdbc
			.sql("""
					select key from online_payment
					 where (status in ('CREATED', 'PENDING', 'AUTHORIZED') or (status = 'EXPIRED' and expires_at > :followed))
					   and created_at < :settled
					 order by id limit 100
					""")
			.param("followed", utc(now().minus(FOLLOW)))
			.param("settled", utc(now().minus(Duration.ofSeconds(30))))
			.query(String.class)
			.list();
		open.forEach(this::settle);
		sendRefunds();
	}

	/** The refunds due, each sent with its own key: sent twice, YooKassa refunds once. */
	void sendRefunds() {
		record Due(long id, String key, Money amount, String provider, String providerId, int attempts) {
		}
		List<Due> due = this.jdbc.sql("""
				select r.id, r.key, r.amount, p.currency, p.provider, p.provider_id, r.attempts
				  from online_refund r join online_payment p on p.id = r.online_payment_id
				 where r.status = 'PENDING' and r.next_at <= :now order by r.id limit 50
				""")
			.param("now", utc(now()))
			.query((rs, n) -> new Due(rs.getLong(1), rs.getString(2),
					Money.of(rs.getBigDecimal(3), Currency.getInstance(rs.getString(4).trim())), rs.getString(5),
					rs.getString(6), rs.getInt(7)))
			.list();
		for (Due refund : due) {
			try {
				PaymentProvider.Refund answer = provider(refund.provider()).refund(refund.providerId(), refund.amount(),
						refund.key());
				if ("succeeded".equals(answer.status())) {
					refundState(refund.id(), "SUCCEEDED", answer.id(), null, Duration.ZERO);
				}
				else if ("canceled".equals(answer.status())) {
					refundState(refund.id(), "FAILED", answer.id(), "the provider cancelled the refund", Duration.ZERO);
				}
				else {
					refundState(refund.id(), "PENDING", answer.id(), null, Duration.ofMinutes(1));
				}
			}
			catch (PaymentProvider.Refused ex) {
				refundState(refund.id(), "FAILED", null, ex.getMessage(), Duration.ZERO);
			}
			catch (PaymentProvider.Unreachable ex) {
				// 1, 2, 4 ... minutes, at most an hour apart.
				refundState(refund.id(), "PENDING", null, ex.getMessage(),
						Duration.ofMinutes(Math.min(60, 1L << Math.min(6, refund.attempts()))));
			}
		}
	}

	private void refundState(long id, String status, @Nullable String providerId, @Nullable String failure,
			Duration later) {
		this.jdbc
			.sql("""
					update online_refund set status = :status, provider_id = coalesce(:pid, provider_id), failure = :failure,
					       attempts = attempts + 1, next_at = :next where id = :id
					""")
			.param("status", status)
			.param("pid", providerId)
			.param("failure", failure)
			.param("next", utc(now().plus(later)))
			.param("id", id)
			.update();
	}

	/** A provider's notification names a payment: Klinika asks the provider about it. */
	Optional<View> notified(String providerId) {
		return this.jdbc.sql("select key from online_payment where provider_id = :pid")
			.param("pid", providerId)
			.query(String.class)
			.optional()
			.flatMap(this::settle);
	}

	/** A refund's notification: the refund is asked of the provider again now. */
	boolean refundNotified(String providerRefundId) {
		return this.jdbc.sql("update online_refund set next_at = now() where provider_id = :pid and status = 'PENDING'")
			.param("pid", providerRefundId)
			.update() > 0;
	}

	PaymentProvider provider(String name) {
		return switch (name) {
			case "SANDBOX" -> this.sandbox;
			case "YOOKASSA" -> this.yookassa;
			default -> throw new Unavailable("no payment provider");
		};
	}

	private Optional<Row> byKey(String key) {
		return this.jdbc.sql(select() + " where key = :key").param("key", key).query(OnlinePayments::row).optional();
	}

	private Optional<Row> byOrder(String token) {
		return this.jdbc.sql(select() + " where order_token = :token")
			.param("token", token)
			.query(OnlinePayments::row)
			.optional();
	}

	private static String select() {
		return """
				select id, key, purpose, provider, provider_id, status, amount, currency, branch_id, patient_id, service_id,
				       staff_id, starts_at, package_product_id, order_token, appointment_id, public_code, confirmation_url,
				       outcome, expires_at
				  from online_payment""";
	}

	private static Row row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
		OffsetDateTime start = rs.getObject("starts_at", OffsetDateTime.class);
		return new Row(rs.getLong("id"), rs.getString("key"), rs.getString("purpose"), rs.getString("provider"),
				rs.getString("provider_id"), rs.getString("status"),
				Money.of(rs.getBigDecimal("amount"), Currency.getInstance(rs.getString("currency").trim())),
				rs.getLong("branch_id"), rs.getLong("patient_id"), (Long) rs.getObject("service_id"),
				(Long) rs.getObject("staff_id"), start == null ? null : start.toInstant(),
				(Long) rs.getObject("package_product_id"), rs.getString("order_token"),
				(Long) rs.getObject("appointment_id"), rs.getString("public_code"), rs.getString("confirmation_url"),
				rs.getString("outcome"), rs.getObject("expires_at", OffsetDateTime.class).toInstant());
	}

	private Instant now() {
		return this.clock.instant();
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private static String newKey() {
		byte[] bytes = new byte[18];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/** Every minute, on one node: open payments and due refunds. */
	@org.springframework.context.annotation.Bean
	static com.github.kagkarlsson.scheduler.task.helper.RecurringTask<Void> onlinePaymentsJob(OnlinePayments online) {
		return com.github.kagkarlsson.scheduler.task.helper.Tasks
			.recurring("online-payments", com.github.kagkarlsson.scheduler.task.schedule.FixedDelay.ofMinutes(1))
			.execute((instance, context) -> online.runDue());
	}

}
