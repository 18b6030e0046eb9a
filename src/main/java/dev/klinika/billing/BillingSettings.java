package dev.klinika.billing;

import java.math.BigDecimal;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;
import dev.klinika.shared.ConcurrentChange;

/** The clinic's money rules and its list of discount reasons. */
@Component
class BillingSettings {

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final dev.klinika.security.CurrentUser currentUser;

	BillingSettings(JdbcClient jdbc, AuditLog audit, dev.klinika.security.CurrentUser currentUser) {
		this.jdbc = jdbc;
		this.audit = audit;
		this.currentUser = currentUser;
	}

	/**
	 * Whether the login works under an ADMIN's discount and refund limits: a senior
	 * admin, a manager, the owner and the system itself do not.
	 */
	boolean underAdminLimits() {
		return this.currentUser.get().isPresent() && java.util.stream.Stream
			.of(dev.klinika.security.Role.OWNER, dev.klinika.security.Role.MANAGER,
					dev.klinika.security.Role.SENIOR_ADMIN)
			.noneMatch(this.currentUser::has);
	}

	/** The rules as they are now. */
	record Rules(BigDecimal adminDiscountLimit, BigDecimal adminRefundLimit, boolean freePriceLines,
			boolean packageNoShowBurns, int packageWarnDays, int version) {
	}

	/** Whether receipts go to a register, and what they say about taxes. */
	record Fiscal(String mode, String taxation, String servicesVat, String goodsVat) {

		static final java.util.List<String> MODES = java.util.List.of("NONE", "ATOL");

		static final java.util.List<String> TAXATIONS = java.util.List.of("osn", "usn_income", "usn_income_outcome",
				"esn", "patent");

		static final java.util.List<String> VATS = java.util.List.of("none", "vat0", "vat5", "vat7", "vat10", "vat20",
				"vat22");

		public boolean atol() {
			return "ATOL".equals(this.mode);
		}

	}

	Fiscal fiscal() {
		return this.jdbc.sql("select fiscal_mode, taxation, services_vat, goods_vat from billing_settings")
			.query((rs, n) -> new Fiscal(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
			.single();
	}

	/**
	 * The register and the taxes on receipts; ATOL only when its connection is configured
	 * and the clinic has its INN and email, which every receipt carries.
	 */
	@Transactional
	void updateFiscal(Fiscal fiscal, boolean atolConfigured, @org.jspecify.annotations.Nullable String inn,
			@org.jspecify.annotations.Nullable String email) {
		if (!Fiscal.MODES.contains(fiscal.mode()) || !Fiscal.TAXATIONS.contains(fiscal.taxation())
				|| !Fiscal.VATS.contains(fiscal.servicesVat()) || !Fiscal.VATS.contains(fiscal.goodsVat())) {
			throw new BillingRefused("billing.refused.fiscalChoice");
		}
		if (fiscal.atol() && !atolConfigured) {
			throw new BillingRefused("billing.refused.atolNotConfigured");
		}
		if (fiscal.atol() && (inn == null || inn.isBlank() || email == null || email.isBlank())) {
			throw new BillingRefused("billing.refused.fiscalRequisites");
		}
		this.jdbc.sql("""
				update billing_settings set fiscal_mode = :mode, taxation = :taxation, services_vat = :services,
				       goods_vat = :goods, version = version + 1
				""")
			.param("mode", fiscal.mode())
			.param("taxation", fiscal.taxation())
			.param("services", fiscal.servicesVat())
			.param("goods", fiscal.goodsVat())
			.update();
		this.audit.record("BILLING_SETTINGS_CHANGED", "billing", 1, "register " + fiscal.mode() + ", taxation "
				+ fiscal.taxation() + ", VAT " + fiscal.servicesVat() + "/" + fiscal.goodsVat());
	}

	/**
	 * Prepayment online: the payment provider ({@code NONE}, the demo's {@code SANDBOX},
	 * or {@code YOOKASSA}) and how many hours before its start a cancelled visit still
	 * gets its prepayment back to the card.
	 */
	record Online(String provider, int refundHours) {

		static final List<String> PROVIDERS = List.of("NONE", "SANDBOX", "YOOKASSA");

		boolean on() {
			return !"NONE".equals(this.provider);
		}

	}

	Online online() {
		return this.jdbc.sql("select online_provider, prepay_refund_hours from billing_settings")
			.query((rs, n) -> new Online(rs.getString(1), rs.getInt(2)))
			.single();
	}

	@Transactional
	void updateOnline(Online online, boolean yookassaConfigured) {
		if (!Online.PROVIDERS.contains(online.provider())) {
			throw new BillingRefused("billing.refused.providerChoice");
		}
		if ("YOOKASSA".equals(online.provider()) && !yookassaConfigured) {
			throw new BillingRefused("billing.refused.yookassaNotConfigured");
		}
		if (online.refundHours() < 0 || online.refundHours() > 720) {
			throw new BillingRefused("billing.refused.refundHours");
		}
		this.jdbc
			.sql("""
					update billing_settings set online_provider = :provider, prepay_refund_hours = :hours, version = version + 1
					""")
			.param("provider", online.provider())
			.param("hours", online.refundHours())
			.update();
		this.audit.record("BILLING_SETTINGS_CHANGED", "billing", 1,
				"online provider " + online.provider() + ", refund up to " + online.refundHours() + " h before");
	}

	/**
	 * The services an online booking pays ahead for, with the deposit asked (none: the
	 * whole price of the visit's day).
	 */
	java.util.Map<Long, java.util.Optional<BigDecimal>> prepaidServices() {
		java.util.Map<Long, java.util.Optional<BigDecimal>> services = new java.util.LinkedHashMap<>();
		this.jdbc.sql("select service_id, amount from prepayment_service order by service_id")
			.query((rs, n) -> services.put(rs.getLong(1), java.util.Optional.ofNullable(rs.getBigDecimal(2))))
			.list();
		return services;
	}

	/**
	 * Asks a prepayment for a service (of {@code amount}, or its whole price when none),
	 * or no longer.
	 */
	@Transactional
	void setPrepaid(long serviceId, boolean on, @org.jspecify.annotations.Nullable BigDecimal amount) {
		if (!on) {
			this.jdbc.sql("delete from prepayment_service where service_id = :id").param("id", serviceId).update();
			this.audit.record("BILLING_SETTINGS_CHANGED", "billing", 1, "no prepayment for service " + serviceId);
			return;
		}
		if (amount != null && (amount.signum() <= 0 || amount.compareTo(dev.klinika.shared.Money.MAX) > 0)) {
			throw new BillingRefused("billing.refused.amountNotPositive");
		}
		if (amount != null && amount.stripTrailingZeros().scale() > 2) {
			throw new BillingRefused("billing.refused.amountFormat");
		}
		this.jdbc.sql("""
				insert into prepayment_service (service_id, amount) values (:id, :amount)
				on conflict (service_id) do update set amount = excluded.amount, updated_at = now()
				""").param("id", serviceId).param("amount", amount).update();
		this.audit.record("BILLING_SETTINGS_CHANGED", "billing", 1,
				"prepayment for service " + serviceId + ": " + (amount == null ? "the whole price" : amount));
	}

	/** The methods the desk takes money by, in the order the forms show them. */
	java.util.Set<PaymentMethod> deskMethods() {
		java.util.Set<PaymentMethod> methods = java.util.EnumSet.noneOf(PaymentMethod.class);
		this.jdbc.sql("select unnest(desk_methods) from billing_settings")
			.query(String.class)
			.list()
			.forEach(name -> methods.add(PaymentMethod.valueOf(name)));
		return methods;
	}

	/** Money is taken by this method at the desk, or refused with the reason. */
	void requireDeskMethod(PaymentMethod method) {
		if (PaymentMethod.INTO_DEPOSIT.contains(method) && !deskMethods().contains(method)) {
			throw new BillingRefused("billing.refused.methodOff");
		}
	}

	@Transactional
	void updateDeskMethods(java.util.Collection<String> names) {
		List<String> chosen = PaymentMethod.INTO_DEPOSIT.stream().map(Enum::name).filter(names::contains).toList();
		if (chosen.isEmpty()) {
			throw new BillingRefused("billing.refused.noDeskMethod");
		}
		this.jdbc.sql("update billing_settings set desk_methods = :methods::text[], version = version + 1")
			.param("methods", "{" + String.join(",", chosen) + "}")
			.update();
		this.audit.record("BILLING_SETTINGS_CHANGED", "billing", 1, "desk methods " + chosen);
	}

	/** A discount reason and whether it may still be chosen. */
	record Reason(long id, String name, boolean active) {
	}

	Rules current() {
		return this.jdbc
			.sql("""
					select admin_discount_limit, admin_refund_limit, free_price_lines, package_no_show_burns, package_warn_days,
					       version from billing_settings
					""")
			.query((rs, n) -> new Rules(rs.getBigDecimal(1), rs.getBigDecimal(2), rs.getBoolean(3), rs.getBoolean(4),
					rs.getInt(5), rs.getInt(6)))
			.single();
	}

	@Transactional
	void update(int expectedVersion, BigDecimal adminDiscountLimit, BigDecimal adminRefundLimit, boolean freePriceLines,
			boolean packageNoShowBurns, int packageWarnDays) {
		if (packageWarnDays < 1 || packageWarnDays > 90) {
			throw new BillingRefused("billing.refused.warnDays");
		}
		if (adminDiscountLimit.signum() < 0 || adminDiscountLimit.compareTo(BigDecimal.valueOf(100)) > 0) {
			throw new BillingRefused("billing.refused.discountOver100");
		}
		if (adminRefundLimit.signum() < 0 || adminRefundLimit.compareTo(dev.klinika.shared.Money.MAX) > 0) {
			throw new BillingRefused("billing.refused.amountNegative");
		}
		if (adminDiscountLimit.stripTrailingZeros().scale() > 2 || adminRefundLimit.stripTrailingZeros().scale() > 2) {
			throw new BillingRefused("billing.refused.amountFormat");
		}
		int changed = this.jdbc.sql("""
				update billing_settings set admin_discount_limit = :discount, admin_refund_limit = :refund,
				       free_price_lines = :free, package_no_show_burns = :burns, package_warn_days = :warn,
				       version = version + 1 where version = :version
				""")
			.param("burns", packageNoShowBurns)
			.param("warn", packageWarnDays)
			.param("discount", adminDiscountLimit)
			.param("refund", adminRefundLimit)
			.param("free", freePriceLines)
			.param("version", expectedVersion)
			.update();
		if (changed == 0) {
			ConcurrentChange.check(expectedVersion, current().version(), "billing settings");
		}
		this.audit.record("BILLING_SETTINGS_CHANGED", "billing", 1,
				"discount " + adminDiscountLimit + "%, refund " + adminRefundLimit + ", free price " + freePriceLines
						+ ", no-show burns " + packageNoShowBurns + ", warn " + packageWarnDays + " days");
	}

	/** Money back above an ADMIN's limit at once is for a senior admin or a manager. */
	void requireUnderRefundLimit(dev.klinika.shared.Money amount) {
		if (underAdminLimits()) {
			BigDecimal limit = current().adminRefundLimit();
			if (amount.amount().compareTo(limit) > 0) {
				throw new BillingRefused("billing.refused.refundOverLimit",
						new dev.klinika.shared.Money(limit, amount.currency()));
			}
		}
	}

	List<Reason> reasons() {
		return this.jdbc.sql("select id, name, active from discount_reason order by active desc, name")
			.query(Reason.class)
			.list();
	}

	List<Reason> activeReasons() {
		return reasons().stream().filter(Reason::active).toList();
	}

	boolean reasonIsActive(long id) {
		return this.jdbc.sql("select count(*) > 0 from discount_reason where id = :id and active")
			.param("id", id)
			.query(Boolean.class)
			.single();
	}

	@Transactional
	void addReason(String name) {
		String clean = Typed.text(name, 100, "billing.refused.reasonName");
		int added = this.jdbc.sql("insert into discount_reason (name) values (:name) on conflict (name) do nothing")
			.param("name", clean)
			.update();
		if (added == 0) {
			throw new BillingRefused("billing.refused.reasonTaken", clean);
		}
		this.audit.record("DISCOUNT_REASON_ADDED", "billing", 1, clean);
	}

	@Transactional
	void setReasonActive(long id, boolean active) {
		int changed = this.jdbc.sql("update discount_reason set active = :active where id = :id")
			.param("active", active)
			.param("id", id)
			.update();
		if (changed == 0) {
			throw new java.util.NoSuchElementException("discount reason " + id);
		}
		this.audit.record(active ? "DISCOUNT_REASON_ON" : "DISCOUNT_REASON_OFF", "billing", 1, "reason " + id);
	}

}
