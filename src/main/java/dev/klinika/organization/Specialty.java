package dev.klinika.organization;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;

/**
 * A medical specialty (therapist, massage, exercise therapy, ...) that staff have and
 * services need.
 */
public class Specialty {

	private @Id @Nullable Long id;

	private String name;

	private boolean active;

	private @Version @Nullable Integer version;

	@PersistenceCreator
	Specialty(@Nullable Long id, String name, boolean active, @Nullable Integer version) {
		this.id = id;
		this.name = name;
		this.active = active;
		this.version = version;
	}

	public Specialty(String name) {
		this(null, name.trim(), true, null);
		if (name.isBlank()) {
			throw new IllegalArgumentException("A specialty needs a name");
		}
	}

	public @Nullable Long getId() {
		return this.id;
	}

	public String getName() {
		return this.name;
	}

	public boolean isActive() {
		return this.active;
	}

	public @Nullable Integer getVersion() {
		return this.version;
	}

	void rename(String name) {
		if (name.isBlank()) {
			throw new IllegalArgumentException("A specialty needs a name");
		}
		this.name = name.trim();
	}

	void setActive(boolean active) {
		this.active = active;
	}

}
