package dev.klinika.shared;

import java.util.Locale;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** RFC 9457 answers for webhooks and APIs, worded in the caller's language. */
public final class Problems {

	private Problems() {
	}

	/**
	 * The language an API caller asked for: its {@code Accept-Language}, Russian when it
	 * sends none (the staff's language cookie means nothing to a website or a PBX).
	 */
	public static Locale languageOf(jakarta.servlet.http.HttpServletRequest request) {
		return request.getHeader("Accept-Language") == null ? Locale.forLanguageTag("ru") : request.getLocale();
	}

	/** A problem whose detail is the message {@code key}, filled with {@code args}. */
	public static ResponseEntity<ProblemDetail> of(MessageSource messages, HttpStatus status, String key, Locale locale,
			Object... args) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, messages.getMessage(key, args, key, locale));
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
