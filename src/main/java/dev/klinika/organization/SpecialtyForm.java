package dev.klinika.organization;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The name of a specialty. */
class SpecialtyForm {

	@NotBlank(message = "{validation.required}")
	@Size(max = 100, message = "{validation.size.max}")
	private String name = "";

	// Accessors for data binding.

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

}
