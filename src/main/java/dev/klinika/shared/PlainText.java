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

	/**
	 * The text without Unicode format characters (category Cf) and control characters
	 * (Cc, NUL among them), stripped of spaces.
	 */
	public static @Nullable String clean(@Nullable String text) {
		if (text == null) {
			return null;
		}
		StringBuilder kept = new StringBuilder(text.length());
		text.codePoints()
			.filter(codePoint -> Character.getType(codePoint) != Character.FORMAT
					&& Character.getType(codePoint) != Character.CONTROL)
			.forEach(kept::appendCodePoint);
		return kept.toString().strip();
	}

	/**
	 * Text as PostgreSQL can keep it: without NUL characters, which no text column
	 * accepts (a free note, a message, a vendor's id keeps everything else).
	 */
	public static @Nullable String storable(@Nullable String text) {
		return text == null || text.indexOf('\u0000') < 0 ? text : text.replace("\u0000", "");
	}

}
