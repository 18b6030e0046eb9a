package dev.klinika.shared;

import org.jspecify.annotations.Nullable;

/**
 * Names, phones and tags without invisible format characters: a right-to-left override
 * (U+202E) or a zero-width space (U+200B) typed or pasted into a name would make it read
 * otherwise on screen and in exports, and defeat search and duplicate checks. Free notes
 * keep them.
 */
public final class PlainText {

	private PlainText() {
	}

	/** The text without Unicode format characters (category Cf), stripped of spaces. */
	public static @Nullable String clean(@Nullable String text) {
		if (text == null) {
			return null;
		}
		StringBuilder kept = new StringBuilder(text.length());
		text.codePoints()
			.filter(codePoint -> Character.getType(codePoint) != Character.FORMAT)
			.forEach(kept::appendCodePoint);
		return kept.toString().strip();
	}

}
