package dev.klinika.care;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The screen of the waits: after how many days without a booking a pathway stalls, and
 * after how many more it counts as abandoned, by default and per service category.
 */
@Controller
class CareSettingsController {

	private final CareSettings settings;

	CareSettingsController(CareSettings settings) {
		this.settings = settings;
	}

	/** A row as the form shows it: saved values, or what was typed when refused. */
	record Row(String category, String name, String stall, String abandon) {
	}

	@GetMapping("/care/settings")
	String show(Model model) {
		model.addAttribute("rows",
				this.settings.waits()
					.stream()
					.map(wait -> new Row(wait.categoryId() == null ? "" : wait.categoryId().toString(), wait.name(),
							wait.stallDays() == null ? "" : wait.stallDays().toString(),
							wait.abandonDays() == null ? "" : wait.abandonDays().toString()))
					.toList());
		return "care/settings";
	}

	@PostMapping("/care/settings")
	String save(@RequestParam(name = "category", defaultValue = "") List<String> categories,
			@RequestParam(name = "stall", defaultValue = "") List<String> stalls,
			@RequestParam(name = "abandon", defaultValue = "") List<String> abandons, Model model,
			RedirectAttributes redirect) {
		List<CareSettings.Typed> typed = new ArrayList<>();
		int rows = Math.max(categories.size(), Math.max(stalls.size(), abandons.size()));
		for (int i = 0; i < Math.min(rows, 500); i++) {
			typed.add(new CareSettings.Typed(at(categories, i), at(stalls, i), at(abandons, i)));
		}
		try {
			if (rows > 500 || categories.size() != stalls.size() || stalls.size() != abandons.size()) {
				throw new CareRefused("care.refused.settingsBoth", Math.min(rows, 500));
			}
			this.settings.save(typed);
		}
		catch (CareRefused refused) {
			java.util.Map<String, String> names = new java.util.HashMap<>();
			this.settings.waits()
				.forEach(wait -> names.put(wait.categoryId() == null ? "" : wait.categoryId().toString(), wait.name()));
			model.addAttribute("rows",
					typed.stream()
						.map(row -> new Row(row.category(), names.getOrDefault(row.category(), "?"), row.stall(),
								row.abandon()))
						.toList());
			model.addAttribute("errorKey", refused.key());
			model.addAttribute("errorArgs", refused.args());
			return "care/settings";
		}
		redirect.addFlashAttribute("flashKey", "flash.care.settingsSaved");
		return "redirect:/care/settings";
	}

	private static String at(List<String> values, int i) {
		return i < values.size() && values.get(i) != null ? values.get(i) : "";
	}

}
