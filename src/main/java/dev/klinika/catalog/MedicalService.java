package dev.klinika.catalog;

import java.time.Instant;
import java.time.Period;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.ReadOnlyProperty;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A service of the catalog: what a patient books and pays for. Its price lives in a
 * history (see {@link CatalogManagement#changePrice}); its repeat interval drives
 * recalls.
 */
@Table("service")
public class MedicalService {

	private @Id @Nullable Long id;

	private String code;

	private String name;

	private @Nullable Long categoryId;

	private Long specialtyId;

	private int durationMinutes;

	private @Nullable String repeatInterval;

	/** The kind of room the service needs (a gym, an X-ray room), if any. */
	private @Nullable String roomKind;

	/** Seats in one session: 1 for an individual visit, more for a group. */
	private int capacity;

	private boolean active;

	private @Version @Nullable Integer version;

	@ReadOnlyProperty
	private @Nullable Instant createdAt;

	@PersistenceCreator
	MedicalService(@Nullable Long id, String code, String name, @Nullable Long categoryId, Long specialtyId,
			int durationMinutes, @Nullable String repeatInterval, @Nullable String roomKind, int capacity,
			boolean active, @Nullable Integer version, @Nullable Instant createdAt) {
		this.id = id;
		this.code = code;
		this.name = name;
		this.categoryId = categoryId;
		this.specialtyId = specialtyId;
		this.durationMinutes = durationMinutes;
		this.repeatInterval = repeatInterval;
		this.roomKind = roomKind;
		this.capacity = capacity;
		this.active = active;
		this.version = version;
		this.createdAt = createdAt;
	}

	MedicalService(Definition definition) {
		this(null, definition.code(), definition.name(), null, definition.specialtyId(), 1, null, null, 1, true, null,
				null);
		describe(definition);
	}

	public @Nullable Long getId() {
		return this.id;
	}

	public String getCode() {
		return this.code;
	}

	public String getName() {
		return this.name;
	}

	public @Nullable Long getCategoryId() {
		return this.categoryId;
	}

	public Long getSpecialtyId() {
		return this.specialtyId;
	}

	public int getDurationMinutes() {
		return this.durationMinutes;
	}

	/** When the patient should have this service again, if it repeats (a recall). */
	public Optional<Period> getRepeatInterval() {
		return Optional.ofNullable(this.repeatInterval).map(Period::parse);
	}

	public Optional<String> getRoomKind() {
		return Optional.ofNullable(this.roomKind);
	}

	public int getCapacity() {
		return this.capacity;
	}

	/** A group session seats more than one patient at once. */
	public boolean isGroup() {
		return this.capacity > 1;
	}

	public boolean isActive() {
		return this.active;
	}

	public @Nullable Integer getVersion() {
		return this.version;
	}

	void describe(Definition definition) {
		if (definition.code().isBlank() || definition.name().isBlank()) {
			throw new IllegalArgumentException("A service needs a code and a name");
		}
		if (definition.durationMinutes() < 1 || definition.durationMinutes() > 1440) {
			throw new IllegalArgumentException("Duration is 1 to 1440 minutes: " + definition.durationMinutes());
		}
		Period repeat = definition.repeatInterval();
		if (repeat != null && (repeat.isNegative() || repeat.isZero())) {
			throw new IllegalArgumentException("A repeat interval is positive: " + repeat);
		}
		if (definition.capacity() < 1 || definition.capacity() > 100) {
			throw new IllegalArgumentException("A session seats 1 to 100 patients: " + definition.capacity());
		}
		this.code = definition.code().trim();
		this.name = definition.name().trim();
		this.categoryId = definition.categoryId();
		this.specialtyId = definition.specialtyId();
		this.durationMinutes = definition.durationMinutes();
		this.repeatInterval = repeat == null ? null : repeat.toString();
		this.roomKind = definition.roomKind();
		this.capacity = definition.capacity();
	}

	void setActive(boolean active) {
		this.active = active;
	}

	/** What defines a service, apart from its price. */
	public record Definition(String code, String name, @Nullable Long categoryId, Long specialtyId, int durationMinutes,
			@Nullable Period repeatInterval, @Nullable String roomKind, int capacity) {

		/** An individual service that needs no particular room. */
		public Definition(String code, String name, @Nullable Long categoryId, Long specialtyId, int durationMinutes,
				@Nullable Period repeatInterval) {
			this(code, name, categoryId, specialtyId, durationMinutes, repeatInterval, null, 1);
		}

	}

}
