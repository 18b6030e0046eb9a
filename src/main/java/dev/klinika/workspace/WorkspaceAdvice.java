package dev.klinika.workspace;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.InvalidPropertyException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import dev.klinika.organization.ClinicProfile;
import dev.klinika.organization.OrganizationQueries;
import dev.klinika.security.CurrentUser;
import dev.klinika.security.KlinikaUser;

/**
 * What every page's layout needs (the login, clinic name, branches, navigation) and the
 * answers to failures that are the user's to fix: a record that is not there, a change
 * someone else made first, a duplicate.
 */
@ControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class WorkspaceAdvice {

	private final CurrentUser currentUser;

	private final ClinicProfile clinic;

	private final OrganizationQueries organization;

	private final Navigation navigation;

	private final dev.klinika.organization.ClinicLogo logo;

	WorkspaceAdvice(CurrentUser currentUser, ClinicProfile clinic, OrganizationQueries organization,
			Navigation navigation, dev.klinika.organization.ClinicLogo logo) {
		this.logo = logo;
		this.currentUser = currentUser;
		this.clinic = clinic;
		this.organization = organization;
		this.navigation = navigation;
	}

	/**
	 * What the layout shows on every page: the login, clinic, branches, navigation,
	 * search.
	 */
	@ModelAttribute
	void layout(Model model, HttpServletRequest request) {
		KlinikaUser me = this.currentUser.get().orElse(null);
		model.addAttribute("me", me);
		model.addAttribute("clinicName", this.clinic.current().getName());
		model.addAttribute("clinicLogo", this.logo.version().map(java.time.Instant::toEpochMilli).orElse(null));
		model.addAttribute("branchOptions", me == null ? List.of() : this.organization.branchOptions());
		model.addAttribute("selectedBranch", this.currentUser.selectedBranch().orElse(null));
		model.addAttribute("nav", me == null ? List.of() : this.navigation.forRoles(me.roles()));
		model.addAttribute("patientSearch", this.currentUser.may(HttpMethod.GET, "/patients"));
		model.addAttribute("currentPath", Optional.ofNullable(request.getServletPath()).orElse("/"));
	}

	@ExceptionHandler({ NoSuchElementException.class, MethodArgumentTypeMismatchException.class })
	String notFound(HttpServletRequest request, HttpServletResponse response, Model model) {
		layout(model, request);
		response.setStatus(HttpStatus.NOT_FOUND.value());
		model.addAttribute("status", 404);
		return "error/page";
	}

	/**
	 * A form posted with fields no form has (days[5000], say): refused, nothing saved.
	 */
	@ExceptionHandler({ InvalidPropertyException.class, ServletRequestBindingException.class })
	String badRequest(HttpServletRequest request, HttpServletResponse response, Model model) {
		layout(model, request);
		response.setStatus(HttpStatus.BAD_REQUEST.value());
		model.addAttribute("status", 400);
		return "error/page";
	}

	@ExceptionHandler(org.springframework.web.multipart.MaxUploadSizeExceededException.class)
	String tooLarge(HttpServletRequest request, HttpServletResponse response, Model model) {
		layout(model, request);
		response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
		model.addAttribute("status", 413);
		model.addAttribute("reasonKey", "import.error.TOO_LARGE");
		return "error/page";
	}

	@ExceptionHandler(OptimisticLockingFailureException.class)
	String concurrentChange(HttpServletRequest request, HttpServletResponse response, Model model) {
		layout(model, request);
		response.setStatus(HttpStatus.CONFLICT.value());
		model.addAttribute("status", 409);
		model.addAttribute("reasonKey", "error.409.concurrent");
		return "error/page";
	}

	@ExceptionHandler(DuplicateKeyException.class)
	String duplicate(HttpServletRequest request, HttpServletResponse response, Model model) {
		layout(model, request);
		response.setStatus(HttpStatus.CONFLICT.value());
		model.addAttribute("status", 409);
		model.addAttribute("reasonKey", "error.409.duplicate");
		return "error/page";
	}

}
