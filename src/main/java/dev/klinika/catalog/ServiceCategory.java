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

	private @Version @Nullable Integer version;

	@PersistenceCreator
	ServiceCategory(@Nullable Long id, String name, int position, @Nullable Integer version) {
		this.id = id;
		this.name = name;
		this.position = position;
		this.version = version;
	}

	public ServiceCategory(String name, int position) {
		this(null, name.trim(), position, null);
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

	void rename(String name, int position) {
		if (name.isBlank()) {
			throw new IllegalArgumentException("A category needs a name");
		}
		this.name = name.trim();
		this.position = position;
	}

}
