package dev.klinika.security;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The permission matrix: which roles may call which URLs. The security filter chain is
 * built from it, the navigation shows only what it allows, and docs/roles.md describes
 * it. The first rule that matches decides; a URL that no rule names needs a login and
 * nothing more.
 */
@Component
public class AccessRules {

	private static final Set<Role> EVERY_ROLE = EnumSet.allOf(Role.class);

	private static final Set<Role> OWNER_MANAGER = EnumSet.of(Role.OWNER, Role.MANAGER);

	private static final Set<Role> FRONT_DESK = EnumSet.of(Role.OWNER, Role.MANAGER, Role.SENIOR_ADMIN, Role.ADMIN);

	/** Who works with individual patients; a marketer sees segments, not cards. */
	private static final Set<Role> PATIENT_VIEWERS = EnumSet.of(Role.OWNER, Role.MANAGER, Role.SENIOR_ADMIN, Role.ADMIN,
			Role.DOCTOR, Role.CONSULTANT);

	private static final Set<Role> PATIENT_EDITORS = EnumSet.of(Role.OWNER, Role.MANAGER, Role.SENIOR_ADMIN, Role.ADMIN,
			Role.CONSULTANT);

	/** Who makes a visit's bill: the desk, and the specialist who adds what was done. */
	private static final Set<Role> BILL_MAKERS = EnumSet.of(Role.OWNER, Role.MANAGER, Role.SENIOR_ADMIN, Role.ADMIN,
			Role.DOCTOR);

	private static final List<Rule> RULES = List.of(Rule.anonymous("/login"), Rule.anonymous("/css/**"),
			Rule.anonymous("/js/**"), Rule.anonymous("/img/**"), Rule.anonymous("/webjars/**"),
			Rule.anonymous("/favicon.ico"), Rule.anonymous("/favicon.svg"), Rule.anonymous("/error"),
			Rule.anonymous("/actuator/health"), Rule.anonymous("/actuator/health/**"),
			Rule.of(null, "/actuator/**", EnumSet.of(Role.OWNER)),
			Rule.of(null, "/security/audit/**", EnumSet.of(Role.OWNER)),
			Rule.of(null, "/security/users/**", OWNER_MANAGER), Rule.of(null, "/organization/clinic/**", OWNER_MANAGER),
			Rule.of(HttpMethod.GET, "/organization/*/new", OWNER_MANAGER),
			Rule.of(HttpMethod.GET, "/organization/**", EVERY_ROLE), Rule.of(null, "/organization/**", OWNER_MANAGER),
			Rule.of(HttpMethod.GET, "/catalog/*/new", FRONT_DESK), Rule.of(HttpMethod.GET, "/catalog/**", EVERY_ROLE),
			Rule.of(null, "/catalog/**", FRONT_DESK), Rule.anonymous("/calendar/**"), Rule.anonymous("/book/**"),
			Rule.anonymous("/privacy"), Rule.anonymous("/logo"), Rule.anonymous("/api/public/**"),
			Rule.anonymous("/api/hooks/**"), Rule.anonymous("/m/**"), Rule.anonymous("/v3/api-docs/**"),
			Rule.anonymous("/v3/api-docs.yaml"),
			Rule.of(null, "/scheduling/calendars/**", EnumSet.of(Role.OWNER, Role.MANAGER, Role.DOCTOR)),
			Rule.of(HttpMethod.POST, "/scheduling/staff/**", EnumSet.of(Role.OWNER, Role.MANAGER, Role.SENIOR_ADMIN)),
			Rule.of(HttpMethod.GET, "/scheduling/**", PATIENT_VIEWERS),
			Rule.of(null, "/scheduling/**", PATIENT_EDITORS), Rule.of(null, "/tasks/rules/**", OWNER_MANAGER),
			Rule.of(null, "/tasks/outcome/**", EnumSet.of(Role.OWNER, Role.MANAGER, Role.SENIOR_ADMIN)),
			Rule.of(null, "/tasks/**", PATIENT_VIEWERS),
			Rule.of(HttpMethod.POST, "/care/visits/*/prescribe", EnumSet.of(Role.OWNER, Role.MANAGER, Role.DOCTOR)),
			Rule.of(null, "/care/settings/**", OWNER_MANAGER),
			Rule.of(HttpMethod.GET, "/care/report/**",
					EnumSet.of(Role.OWNER, Role.MANAGER, Role.SENIOR_ADMIN, Role.MARKETER)),
			Rule.of(HttpMethod.GET, "/care/**", PATIENT_VIEWERS), Rule.of(null, "/care/**", PATIENT_EDITORS),
			Rule.of(null, "/messaging/templates/**", OWNER_MANAGER),
			Rule.of(null, "/messaging/settings/**", OWNER_MANAGER), Rule.of(null, "/messaging/**", PATIENT_EDITORS),
			Rule.of(null, "/telephony/lines/simulate", FRONT_DESK),
			Rule.of(HttpMethod.GET, "/telephony/lines/**",
					EnumSet.of(Role.OWNER, Role.MANAGER, Role.SENIOR_ADMIN, Role.ADMIN, Role.MARKETER)),
			Rule.of(null, "/telephony/lines/**", EnumSet.of(Role.OWNER, Role.MANAGER, Role.MARKETER)),
			Rule.of(null, "/telephony/**", FRONT_DESK), Rule.of(null, "/leads/settings/**", OWNER_MANAGER),
			Rule.of(null, "/leads/report/**", EnumSet.of(Role.OWNER, Role.MANAGER, Role.SENIOR_ADMIN, Role.MARKETER)),
			Rule.of(null, "/leads/**", PATIENT_EDITORS),
			Rule.of(null, "/patients/sources/**", EnumSet.of(Role.OWNER, Role.MANAGER, Role.MARKETER)),
			Rule.of(null, "/patients/*/rights/**", EnumSet.of(Role.OWNER, Role.MANAGER, Role.SENIOR_ADMIN)),
			Rule.of(null, "/patients/import/**", EnumSet.of(Role.OWNER, Role.MANAGER, Role.SENIOR_ADMIN)),
			Rule.of(null, "/patients/export/**", EnumSet.of(Role.OWNER, Role.MANAGER, Role.SENIOR_ADMIN)),
			Rule.of(null, "/patients/duplicates/**", FRONT_DESK), Rule.of(null, "/patients/merge/**", FRONT_DESK),
			Rule.of(HttpMethod.GET, "/patients/new", PATIENT_EDITORS),
			Rule.of(HttpMethod.GET, "/patients/*/edit", PATIENT_EDITORS),
			Rule.of(HttpMethod.GET, "/patients/**", PATIENT_VIEWERS), Rule.of(null, "/patients/**", PATIENT_EDITORS),
			Rule.of(null, "/billing/settings/**", OWNER_MANAGER),
			Rule.of(HttpMethod.POST, "/billing/visits/**", BILL_MAKERS),
			Rule.of(HttpMethod.POST, "/billing/bills/*/lines/**", BILL_MAKERS),
			Rule.of(HttpMethod.GET, "/billing/bills/**", BILL_MAKERS), Rule.of(null, "/billing/**", FRONT_DESK),
			Rule.of(null, "/", EVERY_ROLE), Rule.of(null, "/workspace/**", EVERY_ROLE));

	public List<Rule> rules() {
		return RULES;
	}

	/**
	 * Whether a login with these roles may call the URL: used to hide links it may not
	 * follow.
	 */
	public boolean allows(Set<Role> roles, HttpMethod method, String path) {
		return ruleFor(method, path).map(rule -> rule.anonymous() || rule.roles().stream().anyMatch(roles::contains))
			.orElse(!roles.isEmpty());
	}

	/** The rule that decides a request, if any names it. */
	public Optional<Rule> ruleFor(HttpMethod method, String path) {
		PathContainer container = PathContainer.parsePath(path);
		return RULES.stream().filter(rule -> rule.matches(method, container)).findFirst();
	}

	/**
	 * One line of the matrix: a method (or any) and a path pattern, and the roles it lets
	 * in.
	 */
	public record Rule(@Nullable HttpMethod method, String pattern, Set<Role> roles, boolean anonymous) {

		private static final PathPatternParser PARSER = new PathPatternParser();

		static Rule anonymous(String pattern) {
			return new Rule(null, pattern, Set.of(), true);
		}

		static Rule of(@Nullable HttpMethod method, String pattern, Set<Role> roles) {
			return new Rule(method, pattern, Set.copyOf(roles), false);
		}

		public String[] roleNames() {
			return this.roles.stream().map(Enum::name).sorted().toArray(String[]::new);
		}

		boolean matches(HttpMethod requestMethod, PathContainer path) {
			if (this.method != null && !this.method.equals(requestMethod)) {
				return false;
			}
			PathPattern parsed = PARSER.parse(this.pattern);
			return parsed.matches(path);
		}

		@Override
		public String toString() {
			return (this.method == null ? "*" : this.method.name()) + " " + this.pattern + " "
					+ (this.anonymous ? "anonymous" : Arrays.toString(roleNames()));
		}

	}

}
