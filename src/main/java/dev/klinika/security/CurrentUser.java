package dev.klinika.security;

import java.util.Optional;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.http.HttpMethod;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Who is working and in which branches: the one place other modules ask, so that branch
 * scope is applied the same way in every query.
 */
@Component
public class CurrentUser {

	static final String SELECTED_BRANCH = "klinika.selectedBranch";

	private final AccessRules accessRules;

	CurrentUser(AccessRules accessRules) {
		this.accessRules = accessRules;
	}

	public Optional<KlinikaUser> get() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof KlinikaUser user) {
			return Optional.of(user);
		}
		return Optional.empty();
	}

	/**
	 * Who a change is recorded as: the login's username, or "system" for a job, a
	 * listener or the demo.
	 */
	public String actor() {
		return get().map(KlinikaUser::getUsername).orElse("system");
	}

	public KlinikaUser require() {
		return get().orElseThrow(() -> new IllegalStateException("No logged-in user"));
	}

	/** Branches the current login may see; nothing when nobody is logged in. */
	public BranchScope scope() {
		return get().map(KlinikaUser::scope).orElse(BranchScope.of(Set.of()));
	}

	/**
	 * Whether the login may call a URL: screens use it to offer only the actions it may
	 * take.
	 */
	public boolean may(HttpMethod method, String path) {
		return get().map(user -> this.accessRules.allows(user.roles(), method, path)).orElse(false);
	}

	public boolean has(Role role) {
		return get().map(user -> user.has(role)).orElse(false);
	}

	/** The branch chosen in the top bar, if the login may still see it. */
	public Optional<Long> selectedBranch() {
		return session(false).map(session -> session.getAttribute(SELECTED_BRANCH))
			.filter(Long.class::isInstance)
			.map(Long.class::cast)
			.filter(id -> scope().includes(id));
	}

	/** Chooses the branch to work in; {@code null} means all of the login's branches. */
	public void selectBranch(Long branchId) {
		session(true).ifPresent(session -> {
			if (branchId == null) {
				session.removeAttribute(SELECTED_BRANCH);
			}
			else if (scope().includes(branchId)) {
				session.setAttribute(SELECTED_BRANCH, branchId);
			}
		});
	}

	/** The scope narrowed to the branch chosen in the top bar, when one is chosen. */
	public BranchScope workingScope() {
		return selectedBranch().map(id -> BranchScope.of(Set.of(id))).orElseGet(this::scope);
	}

	static Optional<HttpServletRequest> request() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			return Optional.of(attributes.getRequest());
		}
		return Optional.empty();
	}

	private static Optional<HttpSession> session(boolean create) {
		return request().map(request -> request.getSession(create));
	}

}
