package dev.klinika.security;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The login form, with the reason of a failed attempt in plain words. */
@Controller
class LoginController {

	private final CurrentUser currentUser;

	LoginController(CurrentUser currentUser) {
		this.currentUser = currentUser;
	}

	@GetMapping("/login")
	String login(@RequestParam(required = false) @Nullable String error,
			@RequestParam(required = false) @Nullable Long wait, Model model) {
		if (this.currentUser.get().isPresent()) {
			return "redirect:/";
		}
		if ("locked".equals(error)) {
			long seconds = wait == null ? 60 : Math.max(1, wait);
			model.addAttribute("errorKey", seconds >= 120 ? "login.error.lockedMinutes" : "login.error.lockedSeconds");
			model.addAttribute("errorArg", seconds >= 120 ? (seconds + 59) / 60 : seconds);
		}
		else if ("disabled".equals(error)) {
			model.addAttribute("errorKey", "login.error.disabled");
		}
		else if (error != null) {
			model.addAttribute("errorKey", "login.error.credentials");
		}
		return "security/login";
	}

}
