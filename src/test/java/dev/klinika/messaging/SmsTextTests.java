package dev.klinika.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** SMS lengths as phones count them, and long texts cut into UDH parts. */
class SmsTextTests {

	@Test
	void latinFitsOneGsmSmsUpTo160AndPartsOf153After() {
		assertThat(SmsText.count("a".repeat(160))).isEqualTo(new SmsText.Count(SmsText.Encoding.GSM7, 160, 1));
		assertThat(SmsText.count("a".repeat(161))).isEqualTo(new SmsText.Count(SmsText.Encoding.GSM7, 161, 2));
		assertThat(SmsText.count("a".repeat(306)).segments()).isEqualTo(2);
		assertThat(SmsText.count("a".repeat(307)).segments()).isEqualTo(3);
	}

	@Test
	void cyrillicIsUcs2With70AndPartsOf67() {
		assertThat(SmsText.count("я".repeat(70))).isEqualTo(new SmsText.Count(SmsText.Encoding.UCS2, 70, 1));
		assertThat(SmsText.count("я".repeat(71)).segments()).isEqualTo(2);
		assertThat(SmsText.count("я".repeat(134)).segments()).isEqualTo(2);
		assertThat(SmsText.count("я".repeat(135)).segments()).isEqualTo(3);
	}

	@Test
	void extensionCharactersCountTwoAndAreNeverCutInHalf() {
		assertThat(SmsText.count("€".repeat(80))).isEqualTo(new SmsText.Count(SmsText.Encoding.GSM7, 160, 1));
		String text = "a".repeat(152) + "€" + "b".repeat(10);
		List<String> pieces = SmsText.split(text, SmsText.Encoding.GSM7);
		assertThat(pieces.get(0)).isEqualTo("a".repeat(152));
		assertThat(pieces.get(1)).startsWith("€");
		assertThat(SmsText.decodeGsm(SmsText.gsm("Hello {world} €5 [ok] ~ ^ | \\")))
			.isEqualTo("Hello {world} €5 [ok] ~ ^ | \\");
	}

	@Test
	void aLongMessageCarriesAConcatenationHeaderInEveryPart() {
		String text = "Напоминаем о записи завтра в 10:00 к терапевту. ".repeat(4);
		List<byte[]> parts = SmsText.payloads(text, 0x2A);
		assertThat(parts).hasSize(SmsText.count(text).segments()).hasSizeGreaterThan(1);
		StringBuilder joined = new StringBuilder();
		for (int i = 0; i < parts.size(); i++) {
			byte[] part = parts.get(i);
			assertThat(Arrays.copyOf(part, 6)).containsExactly(0x05, 0x00, 0x03, 0x2A, parts.size(), i + 1);
			assertThat(part.length - 6).isLessThanOrEqualTo(134);
			joined.append(new String(part, 6, part.length - 6, StandardCharsets.UTF_16BE));
		}
		assertThat(joined).hasToString(text);
		assertThat(SmsText.payloads("short", 1)).singleElement()
			.satisfies(payload -> assertThat(payload).containsExactly("short".getBytes(StandardCharsets.US_ASCII)));
	}

	@Test
	void surrogatePairsStayWhole() {
		String text = "я".repeat(66) + "😀" + "я".repeat(10);
		List<String> pieces = SmsText.split(text, SmsText.Encoding.UCS2);
		assertThat(pieces.get(0)).isEqualTo("я".repeat(66));
		assertThat(pieces.get(1)).startsWith("😀");
	}

}
