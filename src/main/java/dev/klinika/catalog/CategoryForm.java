package dev.klinika.catalog;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A category's name and its place in lists. */
class CategoryForm {

	@NotBlank(message = "{validation.required}")
	@Size(max = 150, message = "{validation.size.max}")
	private String name = "";

	@Min(value = 0, message = "{validation.position}")
	@Max(value = 9999, message = "{validation.position}")
	private int position;

	// Accessors for data binding.

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public int getPosition() {
		return this.position;
	}

	public void setPosition(int position) {
		this.position = position;
	}

}
