package dev.klinika.organization;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.ReadOnlyProperty;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.MappedCollection;

import dev.klinika.shared.PhoneNumber;

/**
 * A place where the clinic receives patients, with its own time zone and working hours.
 */
public class Branch {

	private @Id @Nullable Long id;

	private String name;

	private String address;

	private @Nullable String phone;

	private String timeZone;

	private boolean active;

	@MappedCollection(idColumn = "branch_id")
	private Set<WorkingHours> hours;

	private @Version @Nullable Integer version;

	@ReadOnlyProperty
	private @Nullable Instant createdAt;

	@PersistenceCreator
	Branch(@Nullable Long id, String name, String address, @Nullable String phone, String timeZone, boolean active,
			Set<WorkingHours> hours, @Nullable Integer version, @Nullable Instant createdAt) {
		this.id = id;
		this.name = name;
		this.address = address;
		this.phone = phone;
		this.timeZone = timeZone;
		this.active = active;
		this.hours = hours;
		this.version = version;
		this.createdAt = createdAt;
	}

	public Branch(String name, String address, @Nullable PhoneNumber phone, ZoneId zone, Set<WorkingHours> hours) {
		this(null, name, address, null, zone.getId(), true, Set.of(), null, null);
		describe(name, address, phone, zone, hours);
	}

	public @Nullable Long getId() {
		return this.id;
	}

	public String getName() {
		return this.name;
	}

	public String getAddress() {
		return this.address;
	}

	public Optional<PhoneNumber> getPhone() {
		return Optional.ofNullable(this.phone).map(PhoneNumber::new);
	}

	public ZoneId getZone() {
		return ZoneId.of(this.timeZone);
	}

	public boolean isActive() {
		return this.active;
	}

	public @Nullable Integer getVersion() {
		return this.version;
	}

	/** Working hours from Monday to Sunday; a day without hours is a day off. */
	public List<WorkingHours> getHours() {
		return this.hours.stream().sorted(Comparator.comparingInt(WorkingHours::dayOfWeek)).toList();
	}

	public Optional<WorkingHours> hoursOn(int dayOfWeek) {
		return this.hours.stream().filter(h -> h.dayOfWeek() == dayOfWeek).findFirst();
	}

	void describe(String name, String address, @Nullable PhoneNumber phone, ZoneId zone, Set<WorkingHours> hours) {
		if (name.isBlank() || address.isBlank()) {
			throw new IllegalArgumentException("A branch needs a name and an address");
		}
		if (hours.stream().map(WorkingHours::dayOfWeek).distinct().count() != hours.size()) {
			throw new IllegalArgumentException("One set of hours per day of week");
		}
		this.name = name.trim();
		this.address = address.trim();
		this.phone = phone == null ? null : phone.e164();
		this.timeZone = zone.getId();
		this.hours = Set.copyOf(hours);
	}

	void deactivate() {
		this.active = false;
	}

	void activate() {
		this.active = true;
	}

}
