package dev.klinika.telephony;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.klinika.organization.OrganizationQueries;
import dev.klinika.security.CurrentUser;

/**
 * The reception's calls: missed ones highlighted until handled (a call back closes them
 * by itself), recordings to play, an outcome tag and a comment per call.
 */
@Controller
class CallsController {

	/**
	 * One client for every vendor's recordings: connections are reused, and redirects are
	 * not followed (a listed host's 302 to this machine would pass the address check).
	 */
	private static final HttpClient VENDOR = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private final CallerCard cards;

	private final CallHandling handling;

	private final CurrentUser currentUser;

	private final OrganizationQueries organization;

	private final Clock clock;

	private final dev.klinika.telephony.Recordings recordings;

	private final dev.klinika.security.Colleagues colleagues;

	CallsController(CallerCard cards, CallHandling handling, CurrentUser currentUser, OrganizationQueries organization,
			Clock clock, dev.klinika.telephony.Recordings recordings, dev.klinika.security.Colleagues colleagues) {
		this.colleagues = colleagues;
		this.recordings = recordings;
		this.cards = cards;
		this.handling = handling;
		this.currentUser = currentUser;
		this.organization = organization;
		this.clock = clock;
	}

	@ModelAttribute("zone")
	ZoneId zone() {
		return this.organization.workingZone(this.currentUser.selectedBranch(), this.clock.getZone());
	}

	/** Calls a page shows. */
	static final int PAGE = 50;

	@GetMapping("/telephony/calls")
	String calls(@RequestParam(defaultValue = "false") boolean missed, @RequestParam(defaultValue = "0") int page,
			Model model) {
		var calls = this.cards.latest(missed, this.currentUser.scope(), dev.klinika.shared.ListPage.number(page), PAGE);
		model.addAttribute("calls", calls);
		// People by their names: the login an extension is mapped to, whoever handled a
		// call.
		java.util.Set<String> logins = new java.util.HashSet<>();
		calls.rows().forEach(call -> {
			if (call.employee() != null) {
				logins.add(call.employee());
			}
			if (call.handledBy() != null) {
				logins.add(call.handledBy());
			}
		});
		model.addAttribute("names", this.colleagues.names(logins));
		model.addAttribute("missed", missed);
		model.addAttribute("outcomes", CallHandling.OUTCOMES);
		return "telephony/calls";
	}

	/**
	 * Plays a call's recording through Klinika (the vendor's link stays on the server,
	 * each listening is audited), passing the player's Range on so it can seek.
	 */
	@GetMapping("/telephony/calls/{id}/recording")
	ResponseEntity<?> recording(@PathVariable long id,
			@RequestHeader(name = "Range", required = false) @Nullable String range) {
		String link = this.recordings.open(id, this.currentUser.scope())
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		URI address;
		try {
			address = this.recordings.check(link);
		}
		catch (dev.klinika.telephony.Recordings.AddressRefused ex) {
			throw new ResponseStatusException(HttpStatus.BAD_GATEWAY,
					"The recording's address is refused: " + ex.getMessage());
		}
		HttpRequest.Builder request = HttpRequest.newBuilder(address).timeout(Duration.ofSeconds(30)).GET();
		if (range != null && range.matches("bytes=[0-9]*-[0-9]*")) {
			request.header("Range", range);
		}
		HttpResponse<InputStream> answer;
		try {
			answer = VENDOR.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
		}
		catch (IOException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_GATEWAY, "The recording could not be fetched");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ResponseStatusException(HttpStatus.BAD_GATEWAY, "The recording could not be fetched");
		}
		if (answer.statusCode() != 200 && answer.statusCode() != 206) {
			try (InputStream ignored = answer.body()) {
				throw new ResponseStatusException(HttpStatus.BAD_GATEWAY, "The PBX answered " + answer.statusCode());
			}
			catch (IOException ex) {
				throw new ResponseStatusException(HttpStatus.BAD_GATEWAY, "The PBX answered " + answer.statusCode());
			}
		}
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.CONTENT_TYPE,
				answer.headers()
					.firstValue("Content-Type")
					.filter(type -> type.startsWith("audio/"))
					.orElse("audio/mpeg"));
		answer.headers()
			.firstValue("Content-Length")
			.ifPresent(length -> headers.set(HttpHeaders.CONTENT_LENGTH, length));
		answer.headers().firstValue("Content-Range").ifPresent(part -> headers.set(HttpHeaders.CONTENT_RANGE, part));
		headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
		headers.setCacheControl("private, no-store");
		return ResponseEntity.status(answer.statusCode()).headers(headers).body(new InputStreamResource(answer.body()));
	}

	@PostMapping("/telephony/calls/{id}/handled")
	String handled(@PathVariable long id, RedirectAttributes redirect) {
		this.handling.handled(id);
		redirect.addFlashAttribute("flashKey", "telephony.handled");
		return "redirect:/telephony/calls?missed=true";
	}

	@PostMapping("/telephony/calls/{id}/outcome")
	String outcome(@PathVariable long id, @RequestParam String outcome,
			@RequestParam(required = false) @Nullable String comment, RedirectAttributes redirect) {
		try {
			this.handling.tag(id, outcome, comment);
			redirect.addFlashAttribute("flashKey", "flash.saved");
		}
		catch (IllegalArgumentException ex) {
			redirect.addFlashAttribute("flashErrorKey", "telephony.outcome.invalid");
		}
		return "redirect:/telephony/calls";
	}

}
