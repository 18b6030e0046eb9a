package dev.klinika.shared;

import java.io.Serial;

/**
 * A step refused for a reason its reader can be told: the message key and its arguments
 * (amounts as {@link Money}, for the screen to write in the reader's language). Nothing
 * was written. Each module refuses with its own subclass.
 */
public abstract class Refusal extends RuntimeException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final transient Object[] args;

	protected Refusal(String key, Object... args) {
		super(key);
		this.args = args;
	}

	public String key() {
		return getMessage();
	}

	public Object[] args() {
		return this.args.clone();
	}

}
