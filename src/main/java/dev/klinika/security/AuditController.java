package dev.klinika.security;

import java.time.LocalDate;
import java.time.ZoneId;

import org.jspecify.annotations.Nullable;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The audit log for the owner: who saw or changed what, filtered and paged. */
@Controller
@RequestMapping("/security/audit")
class AuditController {

	static final int PAGE_SIZE = 50;

	private final AuditLog audit;

	private final dev.klinika.security.UserManagement users;

	private final dev.klinika.security.Colleagues colleagues;

	AuditController(AuditLog audit, dev.klinika.security.UserManagement users,
			dev.klinika.security.Colleagues colleagues) {
		this.audit = audit;
		this.users = users;
		this.colleagues = colleagues;
	}

	/** A row as the log shows it: who by name, and the record's page when it has one. */
	public record Row(AuditLog.Entry entry, @Nullable String actorName, @Nullable String link) {
	}

	@GetMapping
	String list(@RequestParam(required = false) @Nullable String actor,
			@RequestParam(required = false) @Nullable String action,
			@RequestParam(required = false) @Nullable String recordType,
			@RequestParam(required = false) @Nullable String recordId,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate to,
			@RequestParam(defaultValue = "0") int page, Model model) {
		int safePage = Math.max(0, Math.min(page, 100_000));
		var filter = new AuditLog.Filter(blankToNull(actor), blankToNull(action), blankToNull(recordType),
				blankToNull(recordId), from, to, ZoneId.systemDefault());
		var entries = this.audit.search(filter, safePage * PAGE_SIZE, PAGE_SIZE + 1);
		var shown = entries.size() > PAGE_SIZE ? entries.subList(0, PAGE_SIZE) : entries;
		var names = this.colleagues.names(shown.stream()
			.map(AuditLog.Entry::actor)
			.filter(java.util.Objects::nonNull)
			.collect(java.util.stream.Collectors.toSet()));
		model.addAttribute("entries",
				shown.stream()
					.map(e -> new Row(e, e.actor() == null ? null : names.get(e.actor()),
							e.recordType() == null || e.recordId() == null ? null
									: AuditVocabulary.linkOf(e.recordType(), e.recordId())))
					.toList());
		model.addAttribute("actions", AuditVocabulary.ACTIONS);
		model.addAttribute("recordTypes", AuditVocabulary.RECORD_TYPES);
		model.addAttribute("actors", this.users.all());
		model.addAttribute("hasNext", entries.size() > PAGE_SIZE);
		model.addAttribute("page", safePage);
		model.addAttribute("filter", filter);
		model.addAttribute("zone", ZoneId.systemDefault());
		return "security/audit";
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return value == null || value.isBlank() ? null : value.trim();
	}

}
