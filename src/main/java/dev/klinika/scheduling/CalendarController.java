package dev.klinika.scheduling;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.klinika.organization.StaffManagement;
import dev.klinika.security.CurrentUser;
import dev.klinika.security.KlinikaUser;
import dev.klinika.security.Role;

/** The secret iCalendar address of a staff member's appointments, and the feed itself. */
@Controller
class CalendarController {

	private final CalendarFeeds feeds;

	private final StaffManagement staff;

	private final CurrentUser currentUser;

	CalendarController(CalendarFeeds feeds, StaffManagement staff, CurrentUser currentUser) {
		this.feeds = feeds;
		this.staff = staff;
		this.currentUser = currentUser;
	}

	/** The feed, for calendar apps: no login, the address is the secret. */
	@GetMapping(value = "/calendar/{token}.ics")
	ResponseEntity<String> feed(@PathVariable String token) {
		return this.feeds.feed(token)
			.map(body -> ResponseEntity.ok()
				.contentType(MediaType.parseMediaType("text/calendar; charset=UTF-8"))
				.body(body))
			.orElseGet(() -> ResponseEntity.notFound().build());
	}

	@GetMapping("/scheduling/calendars/{staffId}")
	String page(@PathVariable long staffId, Model model) {
		var member = mayManage(staffId);
		String token = this.feeds.tokenFor(staffId);
		model.addAttribute("member", member);
		model.addAttribute("feedUrl",
				ServletUriComponentsBuilder.fromCurrentContextPath()
					.path("/calendar/{token}.ics")
					.build(token)
					.toString());
		return "scheduling/calendar";
	}

	@PostMapping("/scheduling/calendars/{staffId}")
	String rotate(@PathVariable long staffId, RedirectAttributes redirect) {
		mayManage(staffId);
		this.feeds.rotate(staffId);
		redirect.addFlashAttribute("flashKey", "calendar.rotated");
		return "redirect:/scheduling/calendars/" + staffId;
	}

	/**
	 * Owners and managers for anyone in their branches; a doctor for their own calendar
	 * only.
	 */
	private dev.klinika.organization.StaffMember mayManage(long staffId) {
		KlinikaUser me = this.currentUser.require();
		boolean own = me.staffId() != null && me.staffId() == staffId;
		if (!own && !me.has(Role.OWNER) && !me.has(Role.MANAGER)) {
			throw new AccessDeniedException("Only the staff member or a manager may see this calendar address");
		}
		return this.staff.find(staffId).orElseThrow();
	}

}
