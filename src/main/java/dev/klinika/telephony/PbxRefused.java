package dev.klinika.telephony;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * A PBX's request that a format adapter refuses: a wrong signature (401), a body that
 * cannot be read (400, naming what), a body too large (413). {@code key} is the message
 * of the refusal, {@code what} its argument.
 */
class PbxRefused extends RuntimeException {

	private final HttpStatus status;

	private final String key;

	private final @Nullable String what;

	PbxRefused(HttpStatus status, String key, @Nullable String what) {
		super(key + (what == null ? "" : ": " + what), null, false, false);
		this.status = status;
		this.key = key;
		this.what = what;
	}

	static PbxRefused signature() {
		return new PbxRefused(HttpStatus.UNAUTHORIZED, "telephony.hook.signature", null);
	}

	static PbxRefused tooLarge() {
		return new PbxRefused(HttpStatus.CONTENT_TOO_LARGE, "telephony.hook.tooLarge",
				String.valueOf(GenericPbxFormat.MAX_BODY));
	}

	static PbxRefused malformed(@Nullable String what) {
		return new PbxRefused(HttpStatus.BAD_REQUEST, "telephony.hook.malformed", what);
	}

	HttpStatus status() {
		return this.status;
	}

	String key() {
		return this.key;
	}

	@Nullable String what() {
		return this.what;
	}

}
