package dev.klinika.patients;

import java.time.LocalDate;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.format.annotation.DateTimeFormat;

/** A consent to record: what, when, how and its proof. */
class ConsentForm {

	@NotNull(message = "{validation.required}")
	private @Nullable ConsentKind kind = ConsentKind.PERSONAL_DATA;

	@NotNull(message = "{validation.required}")
	private @Nullable ConsentChannel channel = ConsentChannel.PAPER;

	@NotNull(message = "{validation.required}")
	@DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
	private @Nullable LocalDate givenOn;

	@Size(max = 500, message = "{validation.size.max}")
	private @Nullable String proof;

	// Accessors for data binding.

	public @Nullable ConsentKind getKind() {
		return this.kind;
	}

	public void setKind(@Nullable ConsentKind kind) {
		this.kind = kind;
	}

	public @Nullable ConsentChannel getChannel() {
		return this.channel;
	}

	public void setChannel(@Nullable ConsentChannel channel) {
		this.channel = channel;
	}

	public @Nullable LocalDate getGivenOn() {
		return this.givenOn;
	}

	public void setGivenOn(@Nullable LocalDate givenOn) {
		this.givenOn = givenOn;
	}

	public @Nullable String getProof() {
		return this.proof;
	}

	public void setProof(@Nullable String proof) {
		this.proof = proof;
	}

}
