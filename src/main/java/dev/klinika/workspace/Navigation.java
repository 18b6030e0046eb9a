package dev.klinika.workspace;

import java.util.List;
import java.util.Set;

import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

import dev.klinika.security.AccessRules;
import dev.klinika.security.Role;

/**
 * The side navigation, grouped by daily work and cut to what the login's roles may open.
 */
@Component
class Navigation {

	private static final List<Group> GROUPS = List.of(new Group("nav.group.work",
			List.of(new Item("nav.home", "/", "home"), new Item("nav.schedule", "/scheduling/day", "calendar"),
					new Item("nav.waiting", "/scheduling/waiting", "clock"), new Item("nav.tasks", "/tasks", "check"),
					new Item("nav.messages", "/messaging", "mail"), new Item("nav.calls", "/telephony/calls", "phone"),
					new Item("nav.leads", "/leads", "funnel"), new Item("nav.leadReport", "/leads/report", "chart"),
					new Item("nav.patients", "/patients", "user"), new Item("nav.pathways", "/care/pathways", "list"),
					new Item("nav.cash", "/billing/cash", "wallet"),
					new Item("nav.unbilled", "/billing/unbilled", "wallet"),
					new Item("nav.packages", "/billing/packages", "chart"),
					new Item("nav.careReport", "/care/report", "chart"))),
			new Group("nav.group.reference", List.of(new Item("nav.services", "/catalog/services", "list"),
					new Item("nav.categories", "/catalog/categories", "folder"),
					new Item("nav.packageProducts", "/catalog/packages", "list"),
					new Item("nav.staff", "/organization/staff", "users"),
					new Item("nav.specialties", "/organization/specialties", "badge"),
					new Item("nav.branches", "/organization/branches", "building"),
					new Item("nav.sources", "/patients/sources", "compass"),
					new Item("nav.lines", "/telephony/lines", "phone"), new Item("nav.rules", "/tasks/rules", "bolt"),
					new Item("nav.messageTemplates", "/messaging/templates", "mail"))),
			new Group("nav.group.settings", List.of(new Item("nav.clinic", "/organization/clinic", "settings"),
					new Item("nav.messagingSettings", "/messaging/settings", "clock"),
					new Item("nav.billingSettings", "/billing/settings", "wallet"),
					new Item("nav.leadSettings", "/leads/settings", "settings"),
					new Item("nav.careSettings", "/care/settings", "clock"),
					new Item("nav.users", "/security/users", "key"), new Item("nav.audit", "/security/audit", "eye"))));

	private final AccessRules accessRules;

	Navigation(AccessRules accessRules) {
		this.accessRules = accessRules;
	}

	List<Group> forRoles(Set<Role> roles) {
		boolean ownSchedule = roles.contains(Role.DOCTOR) && java.util.Collections.disjoint(roles,
				Set.of(Role.OWNER, Role.MANAGER, Role.SENIOR_ADMIN, Role.ADMIN));
		return GROUPS.stream()
			.map(group -> new Group(group.titleKey(),
					group.items()
						.stream()
						.filter(item -> this.accessRules.allows(roles, HttpMethod.GET, item.href()))
						// A doctor's schedule is their own week, not the branch's grid.
						.map(item -> ownSchedule && item.href().equals("/scheduling/day")
								? new Item(item.labelKey(), "/scheduling/mine", item.icon()) : item)
						.toList()))
			.filter(group -> !group.items().isEmpty())
			.toList();
	}

	/** A heading and its links. */
	public record Group(String titleKey, List<Item> items) {
	}

	/** One link: its text key, address and icon name. */
	public record Item(String labelKey, String href, String icon) {

		public boolean isActive(String path) {
			if ("/".equals(this.href)) {
				return "/".equals(path);
			}
			// "/patients" is active on a card, but not on "/patients/sources", which has
			// its own item.
			return (path.equals(this.href) || path.startsWith(this.href + "/"))
					&& !("/patients".equals(this.href) && path.startsWith("/patients/sources"))
					&& !("/leads".equals(this.href)
							&& (path.startsWith("/leads/report") || path.startsWith("/leads/settings")));
		}

	}

}
