package dev.klinika.workspace;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

import dev.klinika.security.CurrentUser;
import dev.klinika.security.KlinikaUser;
import dev.klinika.security.Role;

/** The home page, which greets each role with its day's work, and the branch switcher. */
@Controller
class HomeController {

	private final CurrentUser currentUser;

	private final dev.klinika.tasks.Outcome outcome;

	private final dev.klinika.telephony.CallerCard calls;

	private final dev.klinika.messaging.Inbox inbox;

	private final dev.klinika.messaging.MessageQueries messages;

	private final dev.klinika.leads.LeadQueries leads;

	private final dev.klinika.messaging.Senders senders;

	private final TodayBoard today;

	private final dev.klinika.organization.OrganizationQueries organization;

	private final java.time.Clock clock;

	HomeController(TodayBoard today, dev.klinika.organization.OrganizationQueries organization, java.time.Clock clock,
			CurrentUser currentUser, dev.klinika.tasks.Outcome outcome, dev.klinika.telephony.CallerCard calls,
			dev.klinika.messaging.Inbox inbox, dev.klinika.messaging.MessageQueries messages,
			dev.klinika.leads.LeadQueries leads, dev.klinika.messaging.Senders senders) {
		this.today = today;
		this.organization = organization;
		this.clock = clock;
		this.senders = senders;
		this.leads = leads;
		this.calls = calls;
		this.inbox = inbox;
		this.messages = messages;
		this.currentUser = currentUser;
		this.outcome = outcome;
	}

	@GetMapping("/")
	String home(Model model) {
		KlinikaUser me = this.currentUser.require();
		model.addAttribute("role", primaryRole(me));
		model.addAttribute("zone",
				this.organization.workingZone(this.currentUser.selectedBranch(), this.clock.getZone()));
		if (me.has(Role.OWNER) || me.has(Role.MANAGER)) {
			// Messages go out with links patients cannot open: the owner must know.
			model.addAttribute("localLinks", this.senders.localLinks());
		}
		if (me.has(Role.OWNER) || me.has(Role.MANAGER) || me.has(Role.SENIOR_ADMIN)) {
			// The number to drive to zero: patients no booking and no task holds any
			// more.
			model.addAttribute("fellThrough", this.outcome.count(dev.klinika.tasks.Outcome.Filter.FELL_THROUGH, null, 0,
					this.currentUser.workingScope()));
		}
		if (this.currentUser.may(org.springframework.http.HttpMethod.GET, "/telephony/calls")) {
			// The reception's open ends: calls to return, replies to answer, messages
			// that did not go.
			model.addAttribute("toCallBack", this.calls.toCallBack(me.scope()));
			model.addAttribute("unanswered", this.inbox.unhandled(me.scope()));
			model.addAttribute("failedMessages",
					this.messages.counts(me.scope()).get(dev.klinika.messaging.MessageStatus.FAILED));
			model.addAttribute("lateLeads", this.leads.late(me.scope()));
		}
		if (me.has(Role.ADMIN) || me.has(Role.SENIOR_ADMIN)) {
			this.today.reception(model, this.currentUser.workingScope());
		}
		if (me.has(Role.DOCTOR)) {
			this.today.doctor(model, me);
		}
		if (me.has(Role.CONSULTANT)) {
			this.today.consultant(model, me);
		}
		if (me.has(Role.OWNER) || me.has(Role.MANAGER)) {
			this.today.network(model, this.currentUser.workingScope());
		}
		if (me.has(Role.MARKETER) || me.has(Role.OWNER)) {
			this.today.marketer(model, this.currentUser.workingScope());
		}
		return "workspace/home";
	}

	/** Chooses the branch to work in and returns to the page the switcher was used on. */
	@PostMapping("/workspace/branch")
	String selectBranch(@RequestParam(required = false) Long branchId,
			@RequestHeader(name = "Referer", required = false) String referer) {
		this.currentUser.selectBranch(branchId);
		return "redirect:" + LocalRedirect.pathOf(referer);
	}

	/** The role whose home page the login sees: the most senior one it has. */
	static Role primaryRole(KlinikaUser me) {
		for (Role role : Role.values()) {
			if (me.has(role)) {
				return role;
			}
		}
		return Role.ADMIN;
	}

}
