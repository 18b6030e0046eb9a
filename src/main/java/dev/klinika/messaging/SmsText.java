package dev.klinika.messaging;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An SMS as a phone counts it: GSM 03.38 (7-bit) when every character is in its alphabet,
 * 160 per message or 153 per part of a long one; UCS-2 otherwise (any Cyrillic), 70 or
 * 67. Long messages are cut into parts with a concatenation header (UDH, 8-bit
 * reference), never in the middle of an escaped character or a surrogate pair.
 */
final class SmsText {

	/** The GSM 03.38 default alphabet, indexed by septet. */
	private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
			+ "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

	/** The extension table: characters sent as ESC and a second septet. */
	private static final String EXTENDED = "\f^{}\\[~]|€";

	private static final byte[] EXTENDED_CODES = { 0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40, 0x65 };

	private static final byte ESCAPE = 0x1B;

	static {
		if (BASIC.length() != 128) {
			throw new IllegalStateException("GSM alphabet must have 128 characters, has " + BASIC.length());
		}
	}

	private SmsText() {
	}

	/** How a text is encoded. */
	public enum Encoding {

		GSM7(160, 153), UCS2(70, 67);

		private final int single;

		private final int part;

		Encoding(int single, int part) {
			this.single = single;
			this.part = part;
		}

		public int single() {
			return this.single;
		}

		public int part() {
			return this.part;
		}

	}

	/**
	 * What the template screen shows: the encoding, the characters as counted (an escaped
	 * GSM character counts two) and the number of SMS.
	 */
	public record Count(Encoding encoding, int units, int segments) {
	}

	public static Encoding encodingOf(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == ESCAPE || (BASIC.indexOf(c) < 0 && EXTENDED.indexOf(c) < 0)) {
				return Encoding.UCS2;
			}
		}
		return Encoding.GSM7;
	}

	public static Count count(String text) {
		Encoding encoding = encodingOf(text);
		int units = encoding == Encoding.GSM7 ? gsm(text).length : text.length();
		int segments = units <= encoding.single() ? 1 : split(text, encoding).size();
		return new Count(encoding, units, segments);
	}

	/**
	 * The short messages that carry the text: one payload without a header when it fits,
	 * otherwise parts each starting with a UDH that names the reference, the total and
	 * the part's number.
	 */
	public static List<byte[]> payloads(String text, int reference) {
		Encoding encoding = encodingOf(text);
		List<String> pieces = split(text, encoding);
		List<byte[]> payloads = new ArrayList<>(pieces.size());
		for (int i = 0; i < pieces.size(); i++) {
			byte[] body = encode(pieces.get(i), encoding);
			if (pieces.size() == 1) {
				payloads.add(body);
				continue;
			}
			byte[] part = new byte[6 + body.length];
			part[0] = 0x05;
			part[1] = 0x00;
			part[2] = 0x03;
			part[3] = (byte) reference;
			part[4] = (byte) pieces.size();
			part[5] = (byte) (i + 1);
			System.arraycopy(body, 0, part, 6, body.length);
			payloads.add(part);
		}
		return payloads;
	}

	/** The text cut into the pieces that fit one SMS each. */
	static List<String> split(String text, Encoding encoding) {
		int units = encoding == Encoding.GSM7 ? gsm(text).length : text.length();
		if (units <= encoding.single()) {
			return List.of(text);
		}
		List<String> pieces = new ArrayList<>();
		int from = 0;
		int used = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			int width = encoding == Encoding.GSM7 ? (EXTENDED.indexOf(c) >= 0 ? 2 : 1)
					: (Character.isHighSurrogate(c) ? 2 : 1);
			if (used + width > encoding.part()) {
				pieces.add(text.substring(from, i));
				from = i;
				used = 0;
			}
			used += width;
			if (width == 2 && encoding == Encoding.UCS2) {
				i++;
			}
		}
		pieces.add(text.substring(from));
		return pieces;
	}

	static byte[] encode(String text, Encoding encoding) {
		return encoding == Encoding.GSM7 ? gsm(text) : text.getBytes(StandardCharsets.UTF_16BE);
	}

	/** GSM 7-bit septets, one per octet (the SMPP convention for data_coding 0). */
	static byte[] gsm(String text) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 8);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			int basic = c == ESCAPE ? -1 : BASIC.indexOf(c);
			if (basic >= 0) {
				out.write(basic);
				continue;
			}
			int extended = EXTENDED.indexOf(c);
			if (extended < 0) {
				throw new IllegalArgumentException("Not in the GSM alphabet: " + c);
			}
			out.write(ESCAPE);
			out.write(EXTENDED_CODES[extended]);
		}
		return out.toByteArray();
	}

	/** Decodes septets (one per octet) back to text; unknown codes become '?'. */
	public static String decodeGsm(byte[] septets) {
		StringBuilder text = new StringBuilder(septets.length);
		for (int i = 0; i < septets.length; i++) {
			int code = septets[i] & 0x7F;
			if (code == ESCAPE && i + 1 < septets.length) {
				byte next = septets[++i];
				int at = -1;
				for (int e = 0; e < EXTENDED_CODES.length; e++) {
					if (EXTENDED_CODES[e] == next) {
						at = e;
					}
				}
				text.append(at < 0 ? '?' : EXTENDED.charAt(at));
				continue;
			}
			text.append(BASIC.charAt(code));
		}
		return text.toString();
	}

}
