package dev.klinika.organization;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;

/** A cabinet, gym or device of a branch that appointments may reserve. */
public class Room {

	private @Id @Nullable Long id;

	private Long branchId;

	private String name;

	private RoomKind kind;

	private boolean active;

	private @Version @Nullable Integer version;

	@PersistenceCreator
	Room(@Nullable Long id, Long branchId, String name, RoomKind kind, boolean active, @Nullable Integer version) {
		this.id = id;
		this.branchId = branchId;
		this.name = name;
		this.kind = kind;
		this.active = active;
		this.version = version;
	}

	public Room(long branchId, String name, RoomKind kind) {
		this(null, branchId, name.trim(), kind, true, null);
		if (name.isBlank()) {
			throw new IllegalArgumentException("A room needs a name");
		}
	}

	public @Nullable Long getId() {
		return this.id;
	}

	public Long getBranchId() {
		return this.branchId;
	}

	public String getName() {
		return this.name;
	}

	public RoomKind getKind() {
		return this.kind;
	}

	public boolean isActive() {
		return this.active;
	}

	public @Nullable Integer getVersion() {
		return this.version;
	}

	void describe(String name, RoomKind kind) {
		if (name.isBlank()) {
			throw new IllegalArgumentException("A room needs a name");
		}
		this.name = name.trim();
		this.kind = kind;
	}

	void setActive(boolean active) {
		this.active = active;
	}

}
