package dev.klinika.catalog;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;

/** A group of services in the catalog and in price lists ("Массаж", "Диагностика"). */
public class ServiceCategory {

	private @Id @Nullable Long id;

	private String name;

	private int position;

	private boolean active;

	private @Version @Nullable Integer version;

	@PersistenceCreator
	ServiceCategory(@Nullable Long id, String name, int position, boolean active, @Nullable Integer version) {
		this.id = id;
		this.name = name;
		this.position = position;
		this.active = active;
		this.version = version;
	}

	public ServiceCategory(String name, int position) {
		this(null, name.trim(), position, true, null);
		if (name.isBlank()) {
			throw new IllegalArgumentException("A category needs a name");
		}
	}

	public @Nullable Long getId() {
		return this.id;
	}

	public String getName() {
		return this.name;
	}

	public int getPosition() {
		return this.position;
	}

	/**
	 * An inactive category is kept for the services in it but no longer offered for new
	 * ones.
	 */
	public boolean isActive() {
		return this.active;
	}

	void setActive(boolean active) {
		this.active = active;
	}

	void rename(String name, int position) {
		if (name.isBlank()) {
			throw new IllegalArgumentException("A category needs a name");
		}
		this.name = name.trim();
		this.position = position;
	}

}
