package dev.klinika.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The permission matrix of docs/roles.md, checked URL by URL for every demo login:
 * allowed means anything but 403, denied means exactly 403.
 */
@KlinikaTest
class AccessMatrixTests {

	static final List<String> LOGINS = List.of("owner", "manager", "senior", "admin", "doctor", "consultant",
			"marketer");

	static final Set<String> EVERYONE = Set.copyOf(LOGINS);

	static final Set<String> OWNER_MANAGER = Set.of("owner", "manager");

	static final Set<String> FRONT_DESK = Set.of("owner", "manager", "senior", "admin");

	static final Set<String> BILL_MAKERS = Set.of("owner", "manager", "senior", "admin", "doctor");

	static final Set<String> PATIENT_VIEWERS = Set.of("owner", "manager", "senior", "admin", "doctor", "consultant");

	static final Set<String> PATIENT_EDITORS = Set.of("owner", "manager", "senior", "admin", "consultant");

	/** Method, URL and who may call it: the same matrix as docs/roles.md. */
	static final List<Object[]> MATRIX = List.of(new Object[] { "GET", "/", EVERYONE },
			new Object[] { "GET", "/organization/branches", EVERYONE },
			new Object[] { "GET", "/organization/staff", EVERYONE },
			new Object[] { "GET", "/organization/specialties", EVERYONE },
			new Object[] { "GET", "/organization/branches/new", OWNER_MANAGER },
			new Object[] { "GET", "/organization/staff/new", OWNER_MANAGER },
			new Object[] { "POST", "/organization/branches", OWNER_MANAGER },
			new Object[] { "POST", "/organization/staff", OWNER_MANAGER },
			new Object[] { "POST", "/organization/specialties", OWNER_MANAGER },
			new Object[] { "GET", "/organization/clinic", OWNER_MANAGER },
			new Object[] { "POST", "/organization/clinic", OWNER_MANAGER },
			new Object[] { "GET", "/catalog/services", EVERYONE },
			new Object[] { "GET", "/catalog/categories", EVERYONE },
			new Object[] { "GET", "/catalog/services/new", FRONT_DESK },
			new Object[] { "POST", "/catalog/services", FRONT_DESK },
			new Object[] { "POST", "/catalog/categories", FRONT_DESK },
			new Object[] { "GET", "/patients", PATIENT_VIEWERS },
			new Object[] { "GET", "/patients/new", PATIENT_EDITORS },
			new Object[] { "POST", "/patients", PATIENT_EDITORS },
			new Object[] { "GET", "/patients/sources", Set.of("owner", "manager", "marketer") },
			new Object[] { "GET", "/scheduling/day", PATIENT_VIEWERS },
			new Object[] { "POST", "/scheduling/api/appointments", PATIENT_EDITORS },
			new Object[] { "POST", "/patients/sources", Set.of("owner", "manager", "marketer") },
			new Object[] { "GET", "/billing/settings", OWNER_MANAGER },
			new Object[] { "POST", "/billing/bills/999999/lines", BILL_MAKERS },
			new Object[] { "GET", "/billing/bills/999999", BILL_MAKERS },
			new Object[] { "POST", "/billing/bills/999999/pay", FRONT_DESK },
			new Object[] { "GET", "/billing/unbilled", FRONT_DESK },
			new Object[] { "GET", "/security/users", OWNER_MANAGER },
			new Object[] { "GET", "/security/users/new", OWNER_MANAGER },
			new Object[] { "POST", "/security/users", OWNER_MANAGER },
			new Object[] { "GET", "/security/audit", Set.of("owner") },
			new Object[] { "GET", "/actuator/prometheus", Set.of("owner") },
			new Object[] { "GET", "/actuator/metrics", Set.of("owner") });

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Autowired
	AccessRules accessRules;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	static Stream<Arguments> matrix() {
		List<Arguments> cases = new ArrayList<>();
		for (Object[] row : MATRIX) {
			for (String login : LOGINS) {
				@SuppressWarnings("unchecked")
				boolean allowed = ((Set<String>) row[2]).contains(login);
				cases.add(Arguments.of(row[0], row[1], login, allowed));
			}
		}
		return cases.stream();
	}

	@ParameterizedTest(name = "{0} {1} as {2}: allowed={3}")
	@MethodSource("matrix")
	void enforcesTheMatrix(String method, String url, String login, boolean allowed) throws Exception {
		var request = "GET".equals(method) ? get(url) : post(url).with(csrf());
		int status = this.mvc.perform(request.with(this.logins.as(login))).andReturn().getResponse().getStatus();
		if (allowed) {
			assertThat(status).as("%s %s as %s", method, url, login).isNotEqualTo(403).isLessThan(500);
		}
		else {
			assertThat(status).as("%s %s as %s", method, url, login).isEqualTo(403);
		}
	}

	@Test
	void sendsAnonymousVisitorsToTheLoginPage() throws Exception {
		for (Object[] row : MATRIX) {
			if ("GET".equals(row[0]) && !((String) row[1]).startsWith("/actuator")) {
				var response = this.mvc.perform(get((String) row[1])).andReturn().getResponse();
				assertThat(response.getStatus()).as((String) row[1]).isEqualTo(302);
				assertThat(response.getRedirectedUrl()).endsWith("/login");
			}
		}
	}

	@Test
	void everyControllerUrlIsNamedByARule() {
		List<String> unnamed = new ArrayList<>();
		for (var info : this.mappings.getHandlerMethods().keySet()) {
			Set<String> patterns = info.getPatternValues();
			Set<org.springframework.web.bind.annotation.RequestMethod> methods = info.getMethodsCondition()
				.getMethods();
			for (String pattern : patterns) {
				String path = pattern.replaceAll("\\{[^}]+}", "1");
				for (var requestMethod : methods.isEmpty()
						? Set.of(org.springframework.web.bind.annotation.RequestMethod.GET) : methods) {
					if (this.accessRules.ruleFor(HttpMethod.valueOf(requestMethod.name()), path).isEmpty()) {
						unnamed.add(requestMethod + " " + pattern);
					}
				}
			}
		}
		assertThat(unnamed).as("controller URLs missing from AccessRules and docs/roles.md").isEmpty();
	}

	@Test
	void documentsEveryRuleInRolesMd() throws Exception {
		String doc = java.nio.file.Files.readString(java.nio.file.Path.of("docs/roles.md"));
		for (AccessRules.Rule rule : this.accessRules.rules()) {
			assertThat(doc).as("docs/roles.md names %s", rule.pattern()).contains("`" + rule.pattern() + "`");
		}
	}

}
