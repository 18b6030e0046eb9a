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
	record Rules(BigDecimal adminDiscountLimit, BigDecimal adminRefundLimit, boolean freePriceLines, int version) {
	}

	/** A discount reason and whether it may still be chosen. */
	record Reason(long id, String name, boolean active) {
	}

	Rules current() {
		return this.jdbc
			.sql("select admin_discount_limit, admin_refund_limit, free_price_lines, version from billing_settings")
			.query((rs, n) -> new Rules(rs.getBigDecimal(1), rs.getBigDecimal(2), rs.getBoolean(3), rs.getInt(4)))
			.single();
	}

	@Transactional
	void update(int expectedVersion, BigDecimal adminDiscountLimit, BigDecimal adminRefundLimit,
			boolean freePriceLines) {
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
				       free_price_lines = :free, version = version + 1 where version = :version
				""")
			.param("discount", adminDiscountLimit)
			.param("refund", adminRefundLimit)
			.param("free", freePriceLines)
			.param("version", expectedVersion)
			.update();
		if (changed == 0) {
			ConcurrentChange.check(expectedVersion, current().version(), "billing settings");
		}
		this.audit.record("BILLING_SETTINGS_CHANGED", "billing", 1,
				"discount " + adminDiscountLimit + "%, refund " + adminRefundLimit + ", free price " + freePriceLines);
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
