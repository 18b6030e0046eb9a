package dev.klinika.catalog;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;

import dev.klinika.shared.ConcurrentChange;
import dev.klinika.shared.Money;

/**
 * Adds and changes services and categories, and changes prices without losing the old
 * ones.
 */
@Service
@Transactional
public class CatalogManagement {

	private final MedicalServices services;

	private final ServiceCategories categories;

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final CurrentUser currentUser;

	private final Clock clock;

	CatalogManagement(MedicalServices services, ServiceCategories categories, JdbcClient jdbc, AuditLog audit,
			CurrentUser currentUser, Clock clock) {
		this.services = services;
		this.categories = categories;
		this.jdbc = jdbc;
		this.audit = audit;
		this.currentUser = currentUser;
		this.clock = clock;
	}

	@Transactional(readOnly = true)
	public Optional<MedicalService> find(long id) {
		return this.services.findById(id);
	}

	@Transactional(readOnly = true)
	public boolean codeTaken(String code, @Nullable Long exceptId) {
		return this.services.codeTaken(code.trim(), exceptId == null ? -1 : exceptId);
	}

	@Transactional(readOnly = true)
	public boolean categoryNameTaken(String name, @Nullable Long exceptId) {
		return this.categories.nameTaken(name.trim(), exceptId == null ? -1 : exceptId);
	}

	/** Adds a service with its first price, valid from today. */
	public MedicalService add(MedicalService.Definition definition, Money price) {
		MedicalService service = this.services.save(new MedicalService(definition));
		insertPrice(service.getId(), today(), price);
		this.audit.record("SERVICE_CREATED", "service", service.getId(), describe(service) + "; price " + price);
		return service;
	}

	public MedicalService update(long id, @Nullable Integer expectedVersion, MedicalService.Definition definition) {
		MedicalService service = this.services.findById(id).orElseThrow();
		ConcurrentChange.check(expectedVersion, service.getVersion(), "service " + id);
		String before = describe(service);
		service.describe(definition);
		service = this.services.save(service);
		this.audit.record("SERVICE_CHANGED", "service", id, before + " -> " + describe(service));
		return service;
	}

	public void setActive(long id, boolean active) {
		MedicalService service = this.services.findById(id).orElseThrow();
		service.setActive(active);
		this.services.save(service);
		this.audit.record(active ? "SERVICE_ACTIVATED" : "SERVICE_DEACTIVATED", "service", id, service.getCode());
	}

	/**
	 * Sets the price from a date on. Past prices stay as they were: a date before today
	 * is refused, and a price already set for that date (today or later) is replaced.
	 */
	public void changePrice(long id, Money price, LocalDate validFrom) {
		if (validFrom.isBefore(today())) {
			throw new IllegalArgumentException("A price cannot change in the past: " + validFrom);
		}
		MedicalService service = this.services.findById(id).orElseThrow();
		insertPrice(service.getId(), validFrom, price);
		this.audit.record("PRICE_CHANGED", "service", id, service.getCode() + " " + price + " from " + validFrom);
	}

	public ServiceCategory addCategory(String name, int position) {
		ServiceCategory category = this.categories.save(new ServiceCategory(name, position));
		this.audit.record("CATEGORY_CREATED", "category", category.getId(), category.getName());
		return category;
	}

	public ServiceCategory renameCategory(long id, String name, int position) {
		ServiceCategory category = this.categories.findById(id).orElseThrow();
		String before = category.getName();
		category.rename(name, position);
		category = this.categories.save(category);
		this.audit.record("CATEGORY_CHANGED", "category", id, before + " -> " + category.getName());
		return category;
	}

	public void setCategoryActive(long id, boolean active) {
		ServiceCategory category = this.categories.findById(id).orElseThrow();
		category.setActive(active);
		this.categories.save(category);
		this.audit.record(active ? "CATEGORY_ACTIVATED" : "CATEGORY_DEACTIVATED", "category", id, category.getName());
	}

	LocalDate today() {
		return LocalDate.now(this.clock);
	}

	private void insertPrice(@Nullable Long serviceId, LocalDate validFrom, Money price) {
		if (price.isNegative()) {
			throw new IllegalArgumentException("A price is not negative: " + price);
		}
		this.jdbc.sql("""
				insert into service_price (service_id, valid_from, price, created_by)
				values (:service, :validFrom, :price, :by)
				on conflict (service_id, valid_from) do update set price = excluded.price,
				    created_at = now(), created_by = excluded.created_by
				""")
			.param("service", serviceId)
			.param("validFrom", validFrom)
			.param("price", price.amount())
			.param("by", this.currentUser.actor())
			.update();
	}

	private static String describe(MedicalService service) {
		return service.getCode() + " " + service.getName() + "; " + service.getDurationMinutes() + " min; specialty "
				+ service.getSpecialtyId() + "; category " + service.getCategoryId() + "; repeat "
				+ service.getRepeatInterval().map(Object::toString).orElse("-");
	}

}
