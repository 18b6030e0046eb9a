package dev.klinika.catalog;

import java.math.BigDecimal;
import java.time.LocalDate;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.format.annotation.DateTimeFormat;

/** A new price and the day it starts to hold. */
class PriceForm {

	@NotNull(message = "{validation.required}")
	@DecimalMin(value = "0", message = "{validation.price.negative}")
	@DecimalMax(value = "999999999999.99", message = "{validation.price.large}")
	@Digits(integer = 12, fraction = 2, message = "{validation.price.digits}")
	private @Nullable BigDecimal price;

	@NotNull(message = "{validation.required}")
	@DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
	private @Nullable LocalDate validFrom;

	// Accessors for data binding.

	public @Nullable BigDecimal getPrice() {
		return this.price;
	}

	public void setPrice(@Nullable BigDecimal price) {
		this.price = price;
	}

	public @Nullable LocalDate getValidFrom() {
		return this.validFrom;
	}

	public void setValidFrom(@Nullable LocalDate validFrom) {
		this.validFrom = validFrom;
	}

}
