package dev.klinika.shared;

import java.io.Serial;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.OptimisticLockingFailureException;

/**
 * Someone else saved the record after this form was opened: the form would overwrite
 * their change, so it is refused and the person reloads.
 */
public class ConcurrentChange extends OptimisticLockingFailureException {

	@Serial
	private static final long serialVersionUID = 1L;

	public ConcurrentChange(String message) {
		super(message);
	}

	/**
	 * Refuses when the version the form was opened with is not the version stored now.
	 */
	public static void check(@Nullable Integer expected, @Nullable Integer actual, String what) {
		if (expected != null && !Objects.equals(expected, actual)) {
			throw new ConcurrentChange(
					what + " was changed by someone else (now version " + actual + ", the form had " + expected + ")");
		}
	}

}
