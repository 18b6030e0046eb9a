package dev.klinika.catalog;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import dev.klinika.organization.RoomKind;

/**
 * A service's code, name, category, specialty, duration, first price and repeat interval.
 */
class ServiceForm {

	@NotBlank(message = "{validation.required}")
	@Size(max = 30, message = "{validation.size.max}")
	@Pattern(regexp = "^$|[\\p{L}\\p{N}._/-]+", message = "{validation.code}")
	private String code = "";

	@NotBlank(message = "{validation.required}")
	@Size(max = 300, message = "{validation.size.max}")
	private String name = "";

	private @Nullable Long categoryId;

	@NotNull(message = "{validation.required}")
	private @Nullable Long specialtyId;

	@NotNull(message = "{validation.required}")
	@Min(value = 1, message = "{validation.duration}")
	@Max(value = 1440, message = "{validation.duration}")
	private @Nullable Integer durationMinutes = 30;

	/** Only on a new service; later prices change through the price history. */
	@DecimalMin(value = "0", message = "{validation.price.negative}")
	@DecimalMax(value = "999999999999.99", message = "{validation.price.large}")
	@Digits(integer = 12, fraction = 2, message = "{validation.price.digits}")
	private @Nullable BigDecimal price;

	@Min(value = 1, message = "{validation.repeat}")
	@Max(value = 120, message = "{validation.repeat}")
	private @Nullable Integer repeatAmount;

	private RepeatUnit repeatUnit = RepeatUnit.MONTHS;

	private @Nullable RoomKind roomKind;

	@NotNull(message = "{validation.required}")
	@Min(value = 1, message = "{validation.capacity}")
	@Max(value = 100, message = "{validation.capacity}")
	private @Nullable Integer capacity = 1;

	private @Nullable Integer version;

	static ServiceForm of(MedicalService service) {
		ServiceForm form = new ServiceForm();
		form.code = service.getCode();
		form.name = service.getName();
		form.categoryId = service.getCategoryId();
		form.specialtyId = service.getSpecialtyId();
		form.durationMinutes = service.getDurationMinutes();
		Object[] repeat = RepeatUnit.split(service.getRepeatInterval().orElse(null));
		form.repeatAmount = (Integer) repeat[0];
		form.repeatUnit = (RepeatUnit) repeat[1];
		form.roomKind = service.getRoomKind().map(RoomKind::valueOf).orElse(null);
		form.capacity = service.getCapacity();
		form.version = service.getVersion();
		return form;
	}

	MedicalService.Definition definition() {
		return new MedicalService.Definition(this.code, this.name, this.categoryId, this.specialtyId,
				this.durationMinutes, this.repeatAmount == null ? null : this.repeatUnit.of(this.repeatAmount),
				this.roomKind == null ? null : this.roomKind.name(), this.capacity == null ? 1 : this.capacity);
	}

	// Accessors for data binding.

	public String getCode() {
		return this.code;
	}

	public void setCode(String code) {
		this.code = code;
	}

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public @Nullable Long getCategoryId() {
		return this.categoryId;
	}

	public void setCategoryId(@Nullable Long categoryId) {
		this.categoryId = categoryId;
	}

	public @Nullable Long getSpecialtyId() {
		return this.specialtyId;
	}

	public void setSpecialtyId(@Nullable Long specialtyId) {
		this.specialtyId = specialtyId;
	}

	public @Nullable Integer getDurationMinutes() {
		return this.durationMinutes;
	}

	public void setDurationMinutes(@Nullable Integer durationMinutes) {
		this.durationMinutes = durationMinutes;
	}

	public @Nullable BigDecimal getPrice() {
		return this.price;
	}

	public void setPrice(@Nullable BigDecimal price) {
		this.price = price;
	}

	public @Nullable Integer getRepeatAmount() {
		return this.repeatAmount;
	}

	public void setRepeatAmount(@Nullable Integer repeatAmount) {
		this.repeatAmount = repeatAmount;
	}

	public @Nullable RoomKind getRoomKind() {
		return this.roomKind;
	}

	public void setRoomKind(@Nullable RoomKind roomKind) {
		this.roomKind = roomKind;
	}

	public @Nullable Integer getCapacity() {
		return this.capacity;
	}

	public void setCapacity(@Nullable Integer capacity) {
		this.capacity = capacity;
	}

	public RepeatUnit getRepeatUnit() {
		return this.repeatUnit;
	}

	public void setRepeatUnit(RepeatUnit repeatUnit) {
		this.repeatUnit = repeatUnit;
	}

	public @Nullable Integer getVersion() {
		return this.version;
	}

	public void setVersion(@Nullable Integer version) {
		this.version = version;
	}

}
