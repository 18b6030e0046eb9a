package dev.klinika.organization;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** A room's name and kind. */
class RoomForm {

	@NotBlank(message = "{validation.required}")
	@Size(max = 100, message = "{validation.size.max}")
	private String name = "";

	@NotNull(message = "{validation.required}")
	private @Nullable RoomKind kind = RoomKind.CABINET;

	private @Nullable Integer version;

	// Accessors for data binding.

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public @Nullable RoomKind getKind() {
		return this.kind;
	}

	public void setKind(@Nullable RoomKind kind) {
		this.kind = kind;
	}

	public @Nullable Integer getVersion() {
		return this.version;
	}

	public void setVersion(@Nullable Integer version) {
		this.version = version;
	}

}
