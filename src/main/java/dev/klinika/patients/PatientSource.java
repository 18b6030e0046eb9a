package dev.klinika.patients;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;

/** How patients find the clinic: "Яндекс.Карты", "рекомендация", "сайт". */
public class PatientSource {

	private @Id @Nullable Long id;

	private String name;

	private boolean active;

	private @Version @Nullable Integer version;

	@PersistenceCreator
	PatientSource(@Nullable Long id, String name, boolean active, @Nullable Integer version) {
		this.id = id;
		this.name = name;
		this.active = active;
		this.version = version;
	}

	PatientSource(String name) {
		this(null, name.trim(), true, null);
		if (name.isBlank()) {
			throw new IllegalArgumentException("A source needs a name");
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

	void setActive(boolean active) {
		this.active = active;
	}

}
