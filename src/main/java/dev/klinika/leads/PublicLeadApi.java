package dev.klinika.leads;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.swagger.v3.oas.annotations.Operation;
import org.apache.commons.codec.digest.DigestUtils;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

import dev.klinika.organization.OrganizationQueries;
import dev.klinika.shared.PhoneNumber;

/**
 * The clinic website's inquiry form: {@code POST /api/public/v1/leads}, as JSON (from a
 * script, CORS for the configured origins) or as a plain HTML form (answered with a page,
 * or sent back to the site's own thank-you page). The same form sent twice (the same
 * {@code Idempotency-Key}, or the same person and text within ten minutes) is one
 * inquiry. Spam protection: a hidden {@code website} field people never fill (a bot that
 * fills it is told "received" and nothing is kept), texts full of links dropped the same
 * way, and the public rate limit per address (30 submissions an hour by default).
 */
@Controller
@Tag(name = "Website inquiries", description = "Inquiries from the clinic's website forms, with UTM tags")
class PublicLeadApi {

	private static final Logger log = LoggerFactory.getLogger(PublicLeadApi.class);

	private static final Pattern LINK = Pattern.compile("(?i)https?://|www\\.");

	private final Leads leads;

	private final UtmSources utm;

	private final OrganizationQueries organization;

	private final MessageSource messages;

	private final Clock clock;

	private final List<String> origins;

	PublicLeadApi(Leads leads, UtmSources utm, OrganizationQueries organization, MessageSource messages, Clock clock,
			@Value("${klinika.booking.allowed-origins:}") List<String> origins) {
		this.leads = leads;
		this.utm = utm;
		this.organization = organization;
		this.messages = messages;
		this.clock = clock;
		this.origins = origins.stream().map(String::trim).filter(origin -> !origin.isEmpty()).toList();
	}

	/** What a website form sends; the UTM tags as the page's address carried them. */
	record Submission(@Nullable String name, @Nullable String phone, @Nullable String email, @Nullable String message,
			@Nullable Long branchId, @JsonAlias("utm_source") @Nullable String utmSource,
			@JsonAlias("utm_medium") @Nullable String utmMedium,
			@JsonAlias("utm_campaign") @Nullable String utmCampaign,
			@JsonAlias("utm_content") @Nullable String utmContent, @JsonAlias("utm_term") @Nullable String utmTerm,
			@Nullable String page, @Nullable String website) {
	}

	/** One refused field. */
	record FieldError(String field, String message) {
	}

	/** What became of a submission. */
	private record Outcome(List<FieldError> errors, boolean kept) {
	}

	@Operation(summary = "Send an inquiry from the website",
			description = "name, phone or email, message, branchId, utm_source/medium/campaign/content/term, page; "
					+ "leave `website` empty. 201 when received, 422 with the refused fields.")
	@PostMapping(path = "/api/public/v1/leads", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseBody
	ResponseEntity<?> json(@RequestBody Submission submission,
			@RequestHeader(name = "Idempotency-Key", required = false) @Nullable String key,
			jakarta.servlet.http.HttpServletRequest request) {
		Locale locale = dev.klinika.shared.Problems.languageOf(request);
		Outcome outcome = take(submission, key, locale);
		if (!outcome.errors().isEmpty()) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
					this.messages.getMessage("leads.public.invalid", null, locale));
			problem.setProperty("errors", outcome.errors());
			return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT)
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(problem);
		}
		return ResponseEntity.status(HttpStatus.CREATED)
			.body(Map.of("status", "received", "message",
					this.messages.getMessage("leads.public.thanks", null, locale)));
	}

	/**
	 * A plain HTML form on the site posts here; the answer is a page or the site's own.
	 */
	@PostMapping(path = "/api/public/v1/leads", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	String form(@RequestParam Map<String, String> fields,
			@RequestParam(name = "redirect", required = false) @Nullable String redirect, Locale locale, Model model,
			jakarta.servlet.http.HttpServletResponse response) {
		Submission submission = new Submission(fields.get("name"), fields.get("phone"), fields.get("email"),
				fields.get("message"), number(fields.get("branchId")), fields.get("utm_source"),
				fields.get("utm_medium"), fields.get("utm_campaign"), fields.get("utm_content"), fields.get("utm_term"),
				fields.get("page"), fields.get("website"));
		Outcome outcome = take(submission, fields.get("key"), locale);
		if (outcome.errors().isEmpty() && redirect != null && allowed(redirect)) {
			return "redirect:" + redirect;
		}
		if (!outcome.errors().isEmpty()) {
			response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
		}
		model.addAttribute("errors", outcome.errors());
		return "leads/received";
	}

	private Outcome take(Submission form, @Nullable String key, Locale locale) {
		if (form.website() != null && !form.website().isBlank()
				|| form.message() != null && LINK.matcher(form.message()).results().count() > 2) {
			log.info("A website inquiry looked like spam and was dropped");
			return new Outcome(List.of(), false);
		}
		Map<String, String> errors = new LinkedHashMap<>();
		PhoneNumber phone = null;
		if (form.phone() != null && !form.phone().isBlank()) {
			phone = PhoneNumber.parse(form.phone()).orElse(null);
			if (phone == null || form.phone().length() > 40) {
				errors.put("phone", "leads.public.phone");
			}
		}
		String email = form.email() == null || form.email().isBlank() ? null : form.email().strip();
		if (email != null && (email.length() > 200 || !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+"))) {
			errors.put("email", "leads.public.email");
		}
		if (phone == null && email == null && !errors.containsKey("phone") && !errors.containsKey("email")) {
			errors.put("phone", "leads.public.contact");
		}
		check(errors, "name", form.name(), 200);
		check(errors, "message", form.message(), 2000);
		check(errors, "page", form.page(), 1000);
		check(errors, "utm_source", form.utmSource(), 200);
		check(errors, "utm_medium", form.utmMedium(), 200);
		check(errors, "utm_campaign", form.utmCampaign(), 200);
		check(errors, "utm_content", form.utmContent(), 200);
		check(errors, "utm_term", form.utmTerm(), 200);
		if (key != null && (key.isBlank() || key.length() > 100)) {
			errors.put("Idempotency-Key", "leads.public.key");
		}
		if (form.branchId() != null && this.organization.branchOptions()
			.stream()
			.noneMatch(branch -> branch.id() == form.branchId().longValue())) {
			errors.put("branchId", "leads.public.branch");
		}
		if (!errors.isEmpty()) {
			List<FieldError> refused = new ArrayList<>();
			errors.forEach((field, message) -> refused
				.add(new FieldError(field, this.messages.getMessage(message, null, locale))));
			return new Outcome(refused, false);
		}
		String origin = "form:" + (key != null ? key.strip()
				: DigestUtils
					.sha256Hex((phone == null ? "" : phone.e164()) + "|" + (email == null ? "" : email.toLowerCase())
							+ "|" + (form.message() == null ? "" : form.message().strip()) + "|"
							+ this.clock.instant().getEpochSecond() / 600)
					.substring(0, 40));
		this.leads.take(new Leads.Inquiry(LeadChannel.FORM, origin, form.branchId(), form.name(),
				phone == null ? null : phone.e164(), email, form.message(), null,
				this.utm.sourceOf(form.utmSource()).orElse(null), form.utmCampaign(), new Leads.Utm(form.utmSource(),
						form.utmMedium(), form.utmCampaign(), form.utmContent(), form.utmTerm()),
				form.page(), this.clock.instant(), null));
		return new Outcome(List.of(), true);
	}

	private static void check(Map<String, String> errors, String field, @Nullable String value, int max) {
		if (value != null && value.length() > max) {
			errors.put(field, "leads.public.tooLong");
		}
	}

	private boolean allowed(String redirect) {
		try {
			URI uri = URI.create(redirect);
			String origin = uri.getScheme() + "://" + uri.getAuthority();
			return this.origins.contains(origin);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static @Nullable Long number(@Nullable String text) {
		try {
			return text == null || text.isBlank() ? null : Long.valueOf(text.strip());
		}
		catch (NumberFormatException ex) {
			return -1L;
		}
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	@ResponseBody
	ResponseEntity<ProblemDetail> unreadable(jakarta.servlet.http.HttpServletRequest request) {
		return dev.klinika.shared.Problems.of(this.messages, HttpStatus.BAD_REQUEST, "leads.public.unreadable",
				dev.klinika.shared.Problems.languageOf(request));
	}

}
