package dev.klinika.leads;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.server.ResponseStatusException;

import dev.klinika.organization.OrganizationQueries;
import dev.klinika.patients.PatientSources;
import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;
import dev.klinika.shared.ConcurrentChange;
import dev.klinika.shared.PhoneNumber;

/**
 * The funnel as the reception works it: a board by stage (drag a card or press its
 * button), a lead's page (its touches, its history with the time in each stage, moves,
 * lost with a reason, the card and the booking), and a quick form for a new inquiry (from
 * the caller pop-up, a walk-in, a message elsewhere).
 */
@Controller
@RequestMapping("/leads")
class LeadsController {

	private final Leads leads;

	private final LeadQueries queries;

	private final CurrentUser currentUser;

	private final OrganizationQueries organization;

	private final PatientSources sources;

	private final AuditLog audit;

	private final MessageSource messages;

	private final Clock clock;

	private final dev.klinika.telephony.CallHandling calls;

	LeadsController(Leads leads, LeadQueries queries, CurrentUser currentUser, OrganizationQueries organization,
			PatientSources sources, AuditLog audit, MessageSource messages, Clock clock,
			dev.klinika.telephony.CallHandling calls) {
		this.calls = calls;
		this.leads = leads;
		this.queries = queries;
		this.currentUser = currentUser;
		this.organization = organization;
		this.sources = sources;
		this.audit = audit;
		this.messages = messages;
		this.clock = clock;
	}

	@ModelAttribute("zone")
	ZoneId zone() {
		return this.organization.workingZone(this.currentUser.selectedBranch(), this.clock.getZone());
	}

	@ModelAttribute("now")
	Instant now() {
		return this.clock.instant();
	}

	@GetMapping
	String board(@RequestParam(required = false) @Nullable String q,
			@RequestParam(required = false) @Nullable Long source,
			@RequestParam(required = false) @Nullable LeadChannel channel, Model model) {
		model.addAttribute("columns",
				this.queries.board(this.currentUser.workingScope(), new LeadQueries.Filter(q, source, channel)));
		model.addAttribute("q", q);
		model.addAttribute("source", source);
		model.addAttribute("channel", channel);
		model.addAttribute("sources", this.sources.findAllSorted());
		model.addAttribute("channels", LeadChannel.values());
		model.addAttribute("late", this.queries.late(this.currentUser.workingScope()));
		model.addAttribute("canReport", this.currentUser.may(org.springframework.http.HttpMethod.GET, "/leads/report"));
		return "leads/board";
	}

	@GetMapping("/{id}")
	String lead(@PathVariable long id, Model model) {
		LeadQueries.Lead lead = this.queries.find(id, this.currentUser.scope())
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		this.audit.record("LEAD_VIEWED", "lead", id, null);
		model.addAttribute("lead", lead);
		model.addAttribute("history", this.queries.history(id));
		model.addAttribute("touches", this.queries.touches(id));
		model.addAttribute("reasons", this.queries.reasons(true));
		model.addAttribute("stages", LeadStage.FUNNEL);
		model.addAttribute("branches", this.organization.branchOptions());
		return "leads/lead";
	}

	@GetMapping("/new")
	String newLead(@RequestParam(required = false) @Nullable Long call,
			@RequestParam(required = false) @Nullable String phone, Model model) {
		if (call != null) {
			var existing = this.queries.ofOrigin("call:" + call);
			if (existing.isPresent()) {
				return "redirect:/leads/" + existing.get();
			}
		}
		LeadForm form = new LeadForm();
		form.setPhone(phone);
		form.setCall(call);
		this.currentUser.selectedBranch().ifPresent(form::setBranchId);
		return form(form, model);
	}

	private String form(LeadForm form, Model model) {
		model.addAttribute("form", form);
		model.addAttribute("branches", this.organization.branchOptions());
		model.addAttribute("sources", this.sources.findAllSorted());
		return "leads/form";
	}

	@PostMapping
	String create(@ModelAttribute("form") LeadForm form, Model model, RedirectAttributes redirect) {
		// A call of another branch is not there: its lead is not joined or renamed. A
		// call's lead is of the branch, source and campaign of the line it rang on.
		dev.klinika.telephony.CallHandling.Origin line = form.getCall() == null ? null
				: this.calls.origin(form.getCall());
		if (line != null) {
			form.setBranchId(form.getBranchId() != null ? form.getBranchId() : line.branchId());
			form.setSourceId(form.getSourceId() != null ? form.getSourceId() : line.sourceId());
		}
		PhoneNumber phone = form.getPhone() == null || form.getPhone().isBlank() ? null
				: PhoneNumber.parse(form.getPhone()).orElse(null);
		String error = form.getPhone() != null && !form.getPhone().isBlank() && phone == null ? "phone"
				: phone == null && (form.getEmail() == null || !form.getEmail().contains("@")) ? "contact"
						: form.getName() != null && form.getName().length() > 200 ? "name"
								: form.getInterest() != null && form.getInterest().length() > 2000 ? "interest"
										: form.getBranchId() != null
												&& !this.currentUser.scope().includes(form.getBranchId())
														? "branch"
														: form.getSourceId() != null
																&& this.sources.findById(form.getSourceId()).isEmpty()
																		? "source" : null;
		if (error != null) {
			model.addAttribute("error", error);
			return form(form, model);
		}
		String origin = form.getCall() != null ? "call:" + form.getCall() : "manual:" + UUID.randomUUID();
		Leads.Taken taken = this.leads
			.take(new Leads.Inquiry(form.getCall() != null ? LeadChannel.CALL : LeadChannel.MANUAL, origin,
					form.getBranchId(), form.getName(), phone == null ? null : phone.e164(), form.getEmail(),
					form.getInterest(), null, form.getSourceId(), line == null ? null : line.campaign(), Leads.Utm.NONE,
					null, this.clock.instant(), this.currentUser.require().getUsername()));
		// Whoever typed it in has spoken with the person (also when the call made the
		// lead first).
		this.leads.contacted(taken.lead(), this.clock.instant(), this.currentUser.require().getUsername());
		if (form.getName() != null || form.getInterest() != null) {
			// The lead of a ringing call was made before the admin typed the name.
			this.queries.find(taken.lead(), this.currentUser.scope())
				.filter(lead -> lead.name() == null || lead.interest() == null)
				.ifPresent(lead -> this.leads.change(lead.id(), lead.version(),
						lead.name() == null ? form.getName() : lead.name(),
						lead.interest() == null ? form.getInterest() : lead.interest(), null));
		}
		redirect.addFlashAttribute("flashKey", taken.created() ? "leads.saved" : "leads.joined");
		return "redirect:/leads/" + taken.lead();
	}

	/**
	 * Moves a lead: from the board's drag (a script asks for JSON and gets 204 or a
	 * problem) or from a button.
	 */
	@PostMapping("/{id}/stage")
	Object stage(@PathVariable long id, @RequestParam LeadStage stage, @RequestParam int version,
			@RequestParam(defaultValue = "") String back,
			@RequestHeader(name = "Accept", defaultValue = "") String accept, Locale locale,
			RedirectAttributes redirect) {
		visible(id);
		String refused = null;
		try {
			this.leads.move(id, version, stage);
		}
		catch (ConcurrentChange ex) {
			refused = "leads.refused.CHANGED";
		}
		catch (Leads.LeadRefused ex) {
			refused = "leads.refused." + ex.reason();
		}
		if (accept.contains("application/json")) {
			if (refused == null) {
				return ResponseEntity.noContent().build();
			}
			return dev.klinika.shared.Problems.of(this.messages, HttpStatus.CONFLICT, refused, locale);
		}
		if (refused != null) {
			redirect.addFlashAttribute("flashErrorKey", refused);
		}
		else {
			redirect.addFlashAttribute("flashKey", "flash.saved");
		}
		return "board".equals(back) ? "redirect:/leads" : "redirect:/leads/" + id;
	}

	@PostMapping("/{id}/lost")
	String lost(@PathVariable long id, @RequestParam int version, @RequestParam(required = false) @Nullable Long reason,
			@RequestParam(required = false) @Nullable String comment, RedirectAttributes redirect) {
		visible(id);
		return act(id, redirect, () -> {
			if (reason == null) {
				throw new Leads.LeadRefused("UNKNOWN_REASON");
			}
			this.leads.lose(id, version, reason, comment);
		});
	}

	@PostMapping("/{id}")
	String change(@PathVariable long id, @RequestParam int version,
			@RequestParam(required = false) @Nullable String name,
			@RequestParam(required = false) @Nullable String interest,
			@RequestParam(required = false) @Nullable Long branch, RedirectAttributes redirect) {
		visible(id);
		return act(id, redirect, () -> {
			if (branch != null && !this.currentUser.scope().includes(branch)) {
				throw new Leads.LeadRefused("BRANCH");
			}
			this.leads.change(id, version, name, interest, branch);
		});
	}

	/** Makes a change and says how it went on the lead's page. */
	private static String act(long id, RedirectAttributes redirect, Runnable change) {
		try {
			change.run();
			redirect.addFlashAttribute("flashKey", "flash.saved");
		}
		catch (ConcurrentChange ex) {
			redirect.addFlashAttribute("flashErrorKey", "leads.refused.CHANGED");
		}
		catch (Leads.LeadRefused ex) {
			redirect.addFlashAttribute("flashErrorKey", "leads.refused." + ex.reason());
		}
		return "redirect:/leads/" + id;
	}

	private void visible(long id) {
		if (this.queries.find(id, this.currentUser.scope()).isEmpty()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
	}

	/** What the quick form sends. */
	public static class LeadForm {

		private @Nullable String name;

		private @Nullable String phone;

		private @Nullable String email;

		private @Nullable String interest;

		private @Nullable Long branchId;

		private @Nullable Long sourceId;

		private @Nullable Long call;

		public @Nullable String getName() {
			return this.name == null || this.name.isBlank() ? null : this.name.strip();
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		public @Nullable String getPhone() {
			return this.phone;
		}

		public void setPhone(@Nullable String phone) {
			this.phone = phone;
		}

		public @Nullable String getEmail() {
			return this.email == null || this.email.isBlank() ? null : this.email.strip();
		}

		public void setEmail(@Nullable String email) {
			this.email = email;
		}

		public @Nullable String getInterest() {
			return this.interest == null || this.interest.isBlank() ? null : this.interest.strip();
		}

		public void setInterest(@Nullable String interest) {
			this.interest = interest;
		}

		public @Nullable Long getBranchId() {
			return this.branchId;
		}

		public void setBranchId(@Nullable Long branchId) {
			this.branchId = branchId;
		}

		public @Nullable Long getSourceId() {
			return this.sourceId;
		}

		public void setSourceId(@Nullable Long sourceId) {
			this.sourceId = sourceId;
		}

		public @Nullable Long getCall() {
			return this.call;
		}

		public void setCall(@Nullable Long call) {
			this.call = call;
		}

	}

}
