package dev.klinika.telephony;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.context.MessageSource;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.klinika.shared.Problems;

/**
 * The addresses PBXs post call events to. Each vendor's format is read by its adapter
 * ({@link GenericPbxFormat}, {@link ZadarmaFormat}, {@link MangoFormat}) into canonical
 * {@link CallEvent}s, which {@link Calls} applies; this only routes. A wrong signature is
 * 401, a body that cannot be read 400 with problem details naming what; events already
 * seen are accepted and change nothing.
 */
@RestController
class PbxWebhooks {

	private final Calls calls;

	private final GenericPbxFormat generic;

	private final ZadarmaFormat zadarma;

	private final MangoFormat mango;

	private final MessageSource messages;

	PbxWebhooks(Calls calls, GenericPbxFormat generic, ZadarmaFormat zadarma, MangoFormat mango,
			MessageSource messages) {
		this.calls = calls;
		this.generic = generic;
		this.zadarma = zadarma;
		this.mango = mango;
		this.messages = messages;
	}

	@PostMapping(path = "/api/hooks/pbx/generic", consumes = MediaType.ALL_VALUE)
	ResponseEntity<?> generic(@RequestHeader(name = "X-Klinika-Signature", required = false) @Nullable String signature,
			HttpServletRequest request) throws IOException {
		if (request.getContentLengthLong() > GenericPbxFormat.MAX_BODY) {
			throw PbxRefused.tooLarge();
		}
		List<CallEvent> events = this.generic.read(request.getInputStream().readNBytes(GenericPbxFormat.MAX_BODY + 1),
				signature);
		long fresh = events.stream().filter(event -> this.calls.apply(event).fresh()).count();
		return ResponseEntity.ok(Map.of("accepted", events.size(), "new", fresh));
	}

	@GetMapping(path = "/api/hooks/pbx/zadarma", produces = MediaType.TEXT_PLAIN_VALUE)
	String zadarmaEcho(@RequestParam(name = "zd_echo", defaultValue = "") String echo) {
		return ZadarmaFormat.echo(echo);
	}

	@PostMapping(path = "/api/hooks/pbx/zadarma")
	ResponseEntity<?> zadarma(@RequestHeader(name = "Signature", required = false) @Nullable String signature,
			@RequestParam Map<String, String> form) {
		return apply(this.zadarma.read(form, signature));
	}

	/** Mango's notice of a finished recording comes to {@code events/record/added}. */
	@PostMapping(path = "/api/hooks/pbx/mango/events/record/added")
	ResponseEntity<?> mangoRecording(@RequestParam Map<String, String> form) {
		return apply(this.mango.read("recording", form));
	}

	@PostMapping(path = "/api/hooks/pbx/mango/events/{kind}")
	ResponseEntity<?> mango(@PathVariable String kind, @RequestParam Map<String, String> form) {
		return apply(this.mango.read(kind, form));
	}

	private ResponseEntity<?> apply(List<CallEvent> events) {
		events.forEach(this.calls::apply);
		return ResponseEntity.ok(Map.of("accepted", events.size()));
	}

	@ExceptionHandler(PbxRefused.class)
	ResponseEntity<ProblemDetail> refused(PbxRefused refused, Locale locale) {
		return Problems.of(this.messages, refused.status(), refused.key(), locale, refused.what());
	}

}
