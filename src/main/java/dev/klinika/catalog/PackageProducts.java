package dev.klinika.catalog;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.organization.ClinicProfile;
import dev.klinika.security.AuditLog;
import dev.klinika.shared.ConcurrentChange;
import dev.klinika.shared.Money;

/**
 * Package products (абонементы) the clinic sells: N visits of a service or of any service
 * of a category, or an amount of money to spend on them; valid for some days from the
 * sale or the first visit, with a freeze allowance, for the buyer or their family. Other
 * modules read them as {@link Product} or through {@code catalog_package_v}.
 */
@Service
public class PackageProducts {

	/** Visits of the service, or money to spend on it (the price is the amount). */
	public enum Kind {

		VISITS, AMOUNT

	}

	/** Where the validity counts from. */
	public enum ValidFrom {

		SALE, FIRST_USE

	}

	/** A product as it is defined: what a form or the demo adds. */
	public record Definition(String name, Kind kind, @Nullable Long serviceId, @Nullable Long categoryId,
			@Nullable Integer visits, BigDecimal price, int validityDays, ValidFrom validityFrom, int freezeDays,
			boolean shareable) {
	}

	/** A package product as sold. */
	public record Product(long id, String name, Kind kind, @Nullable Long serviceId, @Nullable Long categoryId,
			@Nullable String target, @Nullable Integer visits, Money price, int validityDays, ValidFrom validityFrom,
			int freezeDays, boolean shareable, boolean active, int version) {

		/** What one sale holds: visits, or the money to spend. */
		public BigDecimal units() {
			return this.kind == Kind.VISITS ? BigDecimal.valueOf(this.visits == null ? 0 : this.visits)
					: this.price.amount();
		}

	}

	private static final String SELECT = """
			select p.id, p.name, p.kind, p.service_id, p.category_id, coalesce(s.name, c.name) as target, p.visits,
			       p.price, p.validity_days, p.validity_from, p.freeze_days, p.shareable, p.active, p.version
			  from package_product p left join service s on s.id = p.service_id
			  left join service_category c on c.id = p.category_id
			""";

	private final JdbcClient jdbc;

	private final ClinicProfile clinic;

	private final AuditLog audit;

	PackageProducts(JdbcClient jdbc, ClinicProfile clinic, AuditLog audit) {
		this.jdbc = jdbc;
		this.clinic = clinic;
		this.audit = audit;
	}

	/** Every product, the active first, by name. */
	@Transactional(readOnly = true)
	public List<Product> all() {
		return this.jdbc.sql(SELECT + " order by p.active desc, lower(p.name)").query(this::row).list();
	}

	/** The products the desk may sell now. */
	@Transactional(readOnly = true)
	public List<Product> active() {
		return all().stream().filter(Product::active).toList();
	}

	@Transactional(readOnly = true)
	public Optional<Product> find(long id) {
		return this.jdbc.sql(SELECT + " where p.id = :id").param("id", id).query(this::row).optional();
	}

	/** Adds a product whose definition was checked (by its form, or the demo's). */
	@Transactional
	public long add(Definition definition) {
		long id = this.jdbc
			.sql("""
					insert into package_product (name, kind, service_id, category_id, visits, price, validity_days, validity_from,
					                             freeze_days, shareable)
					values (:name, :kind, :service, :category, :visits, :price, :days, :from, :freeze, :shareable) returning id
					""")
			.params(params(definition))
			.query(Long.class)
			.single();
		this.audit.record("PACKAGE_PRODUCT_CREATED", "package_product", id, definition.name());
		return id;
	}

	/**
	 * Changes a product for the sales to come; what was sold keeps the terms it was sold
	 * with.
	 */
	@Transactional
	void update(long id, PackageForm form) {
		int changed = this.jdbc
			.sql("""
					update package_product set name = :name, kind = :kind, service_id = :service, category_id = :category,
					       visits = :visits, price = :price, validity_days = :days, validity_from = :from, freeze_days = :freeze,
					       shareable = :shareable, version = version + 1
					 where id = :id and version = :version
					""")
			.params(params(form.definition()))
			.param("id", id)
			.param("version", form.getVersion())
			.update();
		if (changed == 0) {
			ConcurrentChange.check(form.getVersion(), find(id).orElseThrow().version(), "package product");
		}
		this.audit.record("PACKAGE_PRODUCT_CHANGED", "package_product", id, form.getName().trim());
	}

	@Transactional
	void setActive(long id, boolean active) {
		int changed = this.jdbc.sql("update package_product set active = :active, version = version + 1 where id = :id")
			.param("active", active)
			.param("id", id)
			.update();
		if (changed == 0) {
			throw new java.util.NoSuchElementException("package product " + id);
		}
		this.audit.record(active ? "PACKAGE_PRODUCT_ACTIVATED" : "PACKAGE_PRODUCT_DEACTIVATED", "package_product", id,
				null);
	}

	/** Whether another product already has this name (letter case aside). */
	@Transactional(readOnly = true)
	boolean nameTaken(String name, @Nullable Long except) {
		return this.jdbc
			.sql("select count(*) > 0 from package_product where lower(name) = lower(:name) and id <> coalesce(:id, 0)")
			.param("name", name.trim())
			.param("id", except)
			.query(Boolean.class)
			.single();
	}

	private static java.util.Map<String, @Nullable Object> params(Definition definition) {
		java.util.Map<String, @Nullable Object> params = new java.util.HashMap<>();
		params.put("name", definition.name());
		params.put("kind", definition.kind().name());
		params.put("service", definition.categoryId() == null ? definition.serviceId() : null);
		params.put("category", definition.categoryId());
		params.put("visits", definition.kind() == Kind.VISITS ? definition.visits() : null);
		params.put("price", definition.price());
		params.put("days", definition.validityDays());
		params.put("from", definition.validityFrom().name());
		params.put("freeze", definition.freezeDays());
		params.put("shareable", definition.shareable());
		return params;
	}

	private Product row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
		Currency currency = this.clinic.current().getCurrency();
		return new Product(rs.getLong("id"), rs.getString("name"), Kind.valueOf(rs.getString("kind")),
				(Long) rs.getObject("service_id"), (Long) rs.getObject("category_id"), rs.getString("target"),
				(Integer) rs.getObject("visits"), new Money(rs.getBigDecimal("price"), currency),
				rs.getInt("validity_days"), ValidFrom.valueOf(rs.getString("validity_from")), rs.getInt("freeze_days"),
				rs.getBoolean("shareable"), rs.getBoolean("active"), rs.getInt("version"));
	}

}
