package dev.klinika.catalog;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;

/**
 * A package product as the form edits it: what it pays for (a service or a category), how
 * many visits or how much money, its price, validity, freeze allowance and sharing.
 */
class PackageForm {

	@NotBlank(message = "{validation.required}")
	@Size(max = 150, message = "{validation.size.max}")
	private String name = "";

	private PackageProducts.Kind kind = PackageProducts.Kind.VISITS;

	private @Nullable Long serviceId;

	private @Nullable Long categoryId;

	@Min(value = 1, message = "{package.visits.range}")
	@Max(value = 999, message = "{package.visits.range}")
	private @Nullable Integer visits;

	@NotNull(message = "{validation.required}")
	@DecimalMin(value = "0.01", message = "{package.price.positive}")
	@DecimalMax(value = "999999999999.99", message = "{validation.price.large}")
	@Digits(integer = 12, fraction = 2, message = "{validation.price.digits}")
	private @Nullable BigDecimal price;

	@NotNull(message = "{validation.required}")
	@Min(value = 1, message = "{package.validity.range}")
	@Max(value = 3650, message = "{package.validity.range}")
	private @Nullable Integer validityDays = 90;

	private PackageProducts.ValidFrom validityFrom = PackageProducts.ValidFrom.SALE;

	@NotNull(message = "{validation.required}")
	@Min(value = 0, message = "{package.freeze.range}")
	@Max(value = 365, message = "{package.freeze.range}")
	private @Nullable Integer freezeDays = 0;

	private boolean shareable;

	private @Nullable Integer version;

	static PackageForm of(PackageProducts.Product product) {
		PackageForm form = new PackageForm();
		form.name = product.name();
		form.kind = product.kind();
		form.serviceId = product.serviceId();
		form.categoryId = product.categoryId();
		form.visits = product.visits();
		form.price = product.price().amount();
		form.validityDays = product.validityDays();
		form.validityFrom = product.validityFrom();
		form.freezeDays = product.freezeDays();
		form.shareable = product.shareable();
		form.version = product.version();
		return form;
	}

	/** The form as a definition; validated before this is called. */
	PackageProducts.Definition definition() {
		return new PackageProducts.Definition(this.name.trim(), this.kind, this.serviceId, this.categoryId, this.visits,
				this.price == null ? java.math.BigDecimal.ZERO : this.price,
				this.validityDays == null ? 1 : this.validityDays, this.validityFrom,
				this.freezeDays == null ? 0 : this.freezeDays, this.shareable);
	}

	// Accessors for data binding.

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public PackageProducts.Kind getKind() {
		return this.kind;
	}

	public void setKind(PackageProducts.Kind kind) {
		this.kind = kind;
	}

	public @Nullable Long getServiceId() {
		return this.serviceId;
	}

	public void setServiceId(@Nullable Long serviceId) {
		this.serviceId = serviceId;
	}

	public @Nullable Long getCategoryId() {
		return this.categoryId;
	}

	public void setCategoryId(@Nullable Long categoryId) {
		this.categoryId = categoryId;
	}

	public @Nullable Integer getVisits() {
		return this.visits;
	}

	public void setVisits(@Nullable Integer visits) {
		this.visits = visits;
	}

	public @Nullable BigDecimal getPrice() {
		return this.price;
	}

	public void setPrice(@Nullable BigDecimal price) {
		this.price = price;
	}

	public @Nullable Integer getValidityDays() {
		return this.validityDays;
	}

	public void setValidityDays(@Nullable Integer validityDays) {
		this.validityDays = validityDays;
	}

	public PackageProducts.ValidFrom getValidityFrom() {
		return this.validityFrom;
	}

	public void setValidityFrom(PackageProducts.ValidFrom validityFrom) {
		this.validityFrom = validityFrom;
	}

	public @Nullable Integer getFreezeDays() {
		return this.freezeDays;
	}

	public void setFreezeDays(@Nullable Integer freezeDays) {
		this.freezeDays = freezeDays;
	}

	public boolean isShareable() {
		return this.shareable;
	}

	public void setShareable(boolean shareable) {
		this.shareable = shareable;
	}

	public @Nullable Integer getVersion() {
		return this.version;
	}

	public void setVersion(@Nullable Integer version) {
		this.version = version;
	}

}
