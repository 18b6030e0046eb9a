package dev.klinika.billing;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.organization.ClinicProfile;
import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;
import dev.klinika.security.ScopedRecords;
import dev.klinika.shared.Money;

/**
 * A branch's cash desk: a shift opened with the cash in the drawer, the payments and
 * refunds taken while it is open, cash paid in and out, and the close with a count whose
 * difference from what the drawer should hold is written down. Reports of a shift (by
 * method and by admin) and of a branch's day read the ledger; nothing here is a running
 * total kept in place.
 */
@Service
class CashDesk {

	static final String BRANCH_OF_SHIFT = "select branch_id from cash_shift where id = :id";

	private static final String SHIFT_COLUMNS = """
			id, branch_id, currency, opened_by, opened_at, opening_balance, closed_by, closed_at, expected, counted,
			close_note""";

	/** Money in and out by method and employee, of the transfers {where} selects. */
	private static final String TAKINGS = """
			select method, created_by,
			       coalesce(sum(amount) filter (where code in ('PAYMENT', 'ADVANCE')), 0) as received,
			       coalesce(sum(amount) filter (where code in ('REFUND', 'ADVANCE_RETURNED')), 0) as returned
			  from ledger_transfer where {where}
			 group by method, created_by
			""";

	private final JdbcClient jdbc;

	private final ScopedRecords scoped;

	private final CurrentUser currentUser;

	private final ClinicProfile clinic;

	private final AuditLog audit;

	private final Clock clock;

	CashDesk(JdbcClient jdbc, ScopedRecords scoped, CurrentUser currentUser, ClinicProfile clinic, AuditLog audit,
			Clock clock) {
		this.jdbc = jdbc;
		this.scoped = scoped;
		this.currentUser = currentUser;
		this.clinic = clinic;
		this.audit = audit;
		this.clock = clock;
	}

	/** A shift of a branch's drawer. */
	record Shift(long id, long branchId, Currency currency, String openedBy, Instant openedAt, Money opening,
			@Nullable String closedBy, @Nullable Instant closedAt, @Nullable Money expected, @Nullable Money counted,
			@Nullable String note) {

		public boolean open() {
			return this.closedAt == null;
		}

		/** Counted minus expected: a shortage is negative; null while open. */
		public @Nullable Money discrepancy() {
			return this.counted == null || this.expected == null ? null : this.counted.minus(this.expected);
		}

	}

	/** Cash put into or taken out of the drawer. */
	record Movement(long id, String kind, Money amount, String reason, String by, Instant at) {

		public boolean paidIn() {
			return "PAID_IN".equals(this.kind);
		}

	}

	/** What a method took in and gave back. */
	record Takings(PaymentMethod method, Money received, Money returned) {

		public Money net() {
			return this.received.minus(this.returned);
		}

		/**
		 * Money that passed the desk, not a spend of what the patient had already paid.
		 */
		public boolean money() {
			return PaymentMethod.MONEY.contains(this.method);
		}

		Takings plus(Takings other) {
			return new Takings(this.method, this.received.plus(other.received), this.returned.plus(other.returned));
		}

	}

	/** One admin's takings. */
	record ByAdmin(String actor, List<Takings> takings) {

		public Money net() {
			return this.takings.stream()
				.filter(Takings::money)
				.map(Takings::net)
				.reduce(Money.zero(this.takings.get(0).received().currency()), Money::plus);
		}

	}

	/** What a shift or a day took, by method and by admin. */
	record Report(List<Takings> takings, List<ByAdmin> byAdmin, List<Movement> movements, Currency currency) {

		public Money takingsNet() {
			return this.takings.stream()
				.filter(Takings::money)
				.map(Takings::net)
				.reduce(Money.zero(this.currency), Money::plus);
		}

		public Money cashNet() {
			return this.takings.stream()
				.filter(t -> t.method() == PaymentMethod.CASH)
				.map(Takings::net)
				.findFirst()
				.orElse(Money.zero(this.currency));
		}

		public Money paidIn() {
			return this.movements.stream()
				.filter(Movement::paidIn)
				.map(Movement::amount)
				.reduce(Money.zero(this.currency), Money::plus);
		}

		public Money paidOut() {
			return this.movements.stream()
				.filter(m -> !m.paidIn())
				.map(Movement::amount)
				.reduce(Money.zero(this.currency), Money::plus);
		}

		/** What a drawer opened with {@code opening} should hold after these figures. */
		Money expected(Money opening) {
			return opening.plus(cashNet()).plus(paidIn()).minus(paidOut());
		}

	}

	/** The branch's open shift, if there is one. */
	@Transactional(readOnly = true)
	public Optional<Shift> current(long branchId) {
		return this.jdbc
			.sql("select " + SHIFT_COLUMNS + " from cash_shift where branch_id = :branch and closed_at is null")
			.param("branch", branchId)
			.query(CashDesk::shift)
			.optional();
	}

	@Transactional(readOnly = true)
	public Optional<Shift> shift(long id) {
		this.scoped.requireOrUnowned("cash shift", id, BRANCH_OF_SHIFT);
		return this.jdbc.sql("select " + SHIFT_COLUMNS + " from cash_shift where id = :id")
			.param("id", id)
			.query(CashDesk::shift)
			.optional();
	}

	/** The branch's latest shifts, newest first. */
	@Transactional(readOnly = true)
	public List<Shift> recent(long branchId, int limit) {
		return this.jdbc
			.sql("select " + SHIFT_COLUMNS
					+ " from cash_shift where branch_id = :branch order by opened_at desc, id desc limit :limit")
			.param("branch", branchId)
			.param("limit", limit)
			.query(CashDesk::shift)
			.list();
	}

	/** Opens the branch's drawer with the cash counted in it. */
	@Transactional
	public long open(long branchId, Money opening) {
		requireBranch(branchId);
		if (opening.isNegative()) {
			throw new BillingRefused("billing.refused.amountNegative");
		}
		if (current(branchId).isPresent()) {
			throw new BillingRefused("billing.refused.shiftOpen");
		}
		// Two admins opening at once: the unique index lets one in, the other is told.
		Long id = this.jdbc.sql("""
				insert into cash_shift (branch_id, currency, opened_by, opened_at, opening_balance)
				values (:branch, :currency, :actor, :at, :opening) on conflict do nothing returning id
				""")
			.param("branch", branchId)
			.param("currency", opening.currency().getCurrencyCode())
			.param("actor", this.currentUser.actor())
			.param("at", now())
			.param("opening", opening.amount())
			.query(Long.class)
			.optional()
			.orElseThrow(() -> new BillingRefused("billing.refused.shiftOpen"));
		this.audit.record("CASH_SHIFT_OPENED", "cash_shift", id, opening.amount().toPlainString());
		return id;
	}

	/**
	 * Cash put into the drawer ({@code in}) or taken out of it, with the reason; never
	 * more out than the drawer should hold.
	 */
	@Transactional
	public void move(long shiftId, boolean in, Money amount, String reason) {
		Shift shift = lockOpen(shiftId);
		String clean = Typed.text(reason, 500, "billing.refused.movementReason");
		if (!amount.isPositive()) {
			throw new BillingRefused("billing.refused.amountNotPositive");
		}
		if (!in) {
			Money cash = expectedCash(shift);
			if (amount.compareTo(cash) > 0) {
				throw new BillingRefused("billing.refused.paidOutOverCash", cash);
			}
		}
		this.jdbc.sql("""
				insert into cash_movement (shift_id, kind, amount, reason, created_by, created_at)
				values (:shift, :kind, :amount, :reason, :actor, :at)
				""")
			.param("shift", shiftId)
			.param("kind", in ? "PAID_IN" : "PAID_OUT")
			.param("amount", amount.amount())
			.param("reason", clean)
			.param("actor", this.currentUser.actor())
			.param("at", now())
			.update();
		this.audit.record(in ? "CASH_PAID_IN" : "CASH_PAID_OUT", "cash_shift", shiftId,
				amount.amount().toPlainString());
	}

	/**
	 * Closes the shift with the cash counted; a count that differs from what the drawer
	 * should hold needs a note saying why.
	 */
	@Transactional
	public Money close(long shiftId, Money counted, @Nullable String note) {
		Shift shift = lockOpen(shiftId);
		if (counted.isNegative()) {
			throw new BillingRefused("billing.refused.amountNegative");
		}
		Money expected = expectedCash(shift);
		String clean = dev.klinika.shared.PlainText.clean(note);
		if (clean != null && clean.length() > 500) {
			throw new BillingRefused("billing.refused.closeNote");
		}
		if (counted.compareTo(expected) != 0 && (clean == null || clean.isEmpty())) {
			throw new BillingRefused("billing.refused.discrepancyNote", expected, counted.minus(expected));
		}
		this.jdbc.sql("""
				update cash_shift set closed_by = :actor, closed_at = :at, expected = :expected, counted = :counted,
				       close_note = :note
				 where id = :id
				""")
			.param("actor", this.currentUser.actor())
			.param("at", now())
			.param("expected", expected.amount())
			.param("counted", counted.amount())
			.param("note", clean == null || clean.isEmpty() ? null : clean)
			.param("id", shiftId)
			.update();
		this.audit.record("CASH_SHIFT_CLOSED", "cash_shift", shiftId,
				"expected " + expected.amount() + ", counted " + counted.amount());
		return counted.minus(expected);
	}

	/** What the drawer should hold now: the opening, cash in and out, paid in and out. */
	@Transactional(readOnly = true)
	public Money expectedCash(Shift shift) {
		return shiftReport(shift).expected(shift.opening());
	}

	/** A shift's takings by method and by admin, and the cash moved in and out. */
	@Transactional(readOnly = true)
	public Report shiftReport(Shift shift) {
		List<Map<String, Object>> rows = this.jdbc.sql(TAKINGS.replace("{where}", "cash_shift_id = :shift"))
			.param("shift", shift.id())
			.query()
			.listOfRows();
		List<Movement> movements = this.jdbc.sql("""
				select id, kind, amount, reason, created_by, created_at from cash_movement where shift_id = :shift
				 order by created_at, id
				""").param("shift", shift.id()).query((rs, n) -> movement(rs, shift.currency())).list();
		return report(rows, movements, shift.currency());
	}

	/**
	 * A branch's day in its own zone: every transfer of the day by method and by admin
	 * (with or without a shift), the cash moved in and out, and the shifts that were
	 * open.
	 */
	@Transactional(readOnly = true)
	public Report dayReport(long branchId, LocalDate day, ZoneId zone) {
		requireBranch(branchId);
		Currency currency = this.clinic.current().getCurrency();
		OffsetDateTime from = day.atStartOfDay(zone).toOffsetDateTime();
		OffsetDateTime to = day.plusDays(1).atStartOfDay(zone).toOffsetDateTime();
		List<Map<String, Object>> rows = this.jdbc
			.sql(TAKINGS.replace("{where}", "branch_id = :branch and created_at >= :from and created_at < :to"))
			.param("branch", branchId)
			.param("from", from)
			.param("to", to)
			.query()
			.listOfRows();
		List<Movement> movements = this.jdbc.sql("""
				select m.id, m.kind, m.amount, m.reason, m.created_by, m.created_at
				  from cash_movement m join cash_shift s on s.id = m.shift_id
				 where s.branch_id = :branch and m.created_at >= :from and m.created_at < :to
				 order by m.created_at, m.id
				""")
			.param("branch", branchId)
			.param("from", from)
			.param("to", to)
			.query((rs, n) -> movement(rs, currency))
			.list();
		return report(rows, movements, currency);
	}

	/** The shifts of a branch that were open at some time of the day. */
	@Transactional(readOnly = true)
	public List<Shift> shiftsOf(long branchId, LocalDate day, ZoneId zone) {
		return this.jdbc
			.sql("select " + SHIFT_COLUMNS
					+ """
							 from cash_shift where branch_id = :branch and opened_at < :to and (closed_at is null or closed_at >= :from)
							 order by opened_at, id
							""")
			.param("branch", branchId)
			.param("from", day.atStartOfDay(zone).toOffsetDateTime())
			.param("to", day.plusDays(1).atStartOfDay(zone).toOffsetDateTime())
			.query(CashDesk::shift)
			.list();
	}

	private static Report report(List<Map<String, Object>> rows, List<Movement> movements, Currency currency) {
		Map<PaymentMethod, Takings> byMethod = new EnumMap<>(PaymentMethod.class);
		Map<String, Map<PaymentMethod, Takings>> byActor = new TreeMap<>();
		for (Map<String, Object> row : rows) {
			PaymentMethod method = PaymentMethod.valueOf((String) row.get("method"));
			Takings takings = new Takings(method, new Money((BigDecimal) row.get("received"), currency),
					new Money((BigDecimal) row.get("returned"), currency));
			byMethod.merge(method, takings, Takings::plus);
			byActor.computeIfAbsent((String) row.get("created_by"), a -> new EnumMap<>(PaymentMethod.class))
				.merge(method, takings, Takings::plus);
		}
		List<ByAdmin> admins = new ArrayList<>();
		byActor.forEach((actor, methods) -> admins.add(new ByAdmin(actor, List.copyOf(methods.values()))));
		return new Report(List.copyOf(byMethod.values()), admins, movements, currency);
	}

	private Shift lockOpen(long shiftId) {
		this.scoped.requireOrUnowned("cash shift", shiftId, BRANCH_OF_SHIFT);
		return this.jdbc.sql("select " + SHIFT_COLUMNS + " from cash_shift where id = :id for update")
			.param("id", shiftId)
			.query(CashDesk::shift)
			.optional()
			.filter(Shift::open)
			.orElseThrow(() -> new BillingRefused("billing.refused.shiftClosed"));
	}

	private void requireBranch(long branchId) {
		if (!this.currentUser.scope().includes(branchId)) {
			throw new ScopedRecords.NotInScope("branch", branchId);
		}
	}

	private OffsetDateTime now() {
		return OffsetDateTime.ofInstant(Instant.now(this.clock), ZoneOffset.UTC);
	}

	private static Shift shift(ResultSet rs, int row) throws SQLException {
		Currency currency = Currency.getInstance(rs.getString("currency"));
		return new Shift(rs.getLong("id"), rs.getLong("branch_id"), currency, rs.getString("opened_by"),
				rs.getObject("opened_at", OffsetDateTime.class).toInstant(),
				new Money(rs.getBigDecimal("opening_balance"), currency), rs.getString("closed_by"),
				instant(rs.getObject("closed_at", OffsetDateTime.class)), money(rs.getBigDecimal("expected"), currency),
				money(rs.getBigDecimal("counted"), currency), rs.getString("close_note"));
	}

	private static Movement movement(ResultSet rs, Currency currency) throws SQLException {
		return new Movement(rs.getLong("id"), rs.getString("kind"), new Money(rs.getBigDecimal("amount"), currency),
				rs.getString("reason"), rs.getString("created_by"),
				rs.getObject("created_at", OffsetDateTime.class).toInstant());
	}

	private static @Nullable Instant instant(@Nullable OffsetDateTime at) {
		return at == null ? null : at.toInstant();
	}

	private static @Nullable Money money(@Nullable BigDecimal amount, Currency currency) {
		return amount == null ? null : new Money(amount, currency);
	}

}
