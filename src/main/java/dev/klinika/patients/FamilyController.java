package dev.klinika.patients;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.klinika.shared.PhoneNumber;

/** Links a relative to the card by their phone or card number, and removes links. */
@Controller
@RequestMapping("/patients/{id}/relatives")
class FamilyController {

	private final Family family;

	private final PatientManagement patients;

	private final JdbcClient jdbc;

	FamilyController(Family family, PatientManagement patients, JdbcClient jdbc) {
		this.family = family;
		this.patients = patients;
		this.jdbc = jdbc;
	}

	@PostMapping
	String link(@PathVariable long id, @RequestParam(defaultValue = "") String relative,
			@RequestParam(defaultValue = "OTHER") Relation relation,
			@RequestParam(defaultValue = "false") boolean representative, RedirectAttributes redirect) {
		Patient patient = this.patients.find(id).orElseThrow();
		Optional<Long> found = resolve(relative.trim());
		if (found.isEmpty() || found.get() == id) {
			redirect.addFlashAttribute("flashErrorKey", "flash.relative.notFound");
		}
		else {
			this.family.link(patient.getId(), found.get(), relation, representative);
			redirect.addFlashAttribute("flashKey", "flash.relative.linked");
		}
		return "redirect:/patients/" + id + "#family";
	}

	@PostMapping("/{relativeId}/remove")
	String unlink(@PathVariable long id, @PathVariable long relativeId, RedirectAttributes redirect) {
		this.patients.find(id).orElseThrow();
		this.family.unlink(id, relativeId);
		redirect.addFlashAttribute("flashKey", "flash.relative.unlinked");
		return "redirect:/patients/" + id + "#family";
	}

	/**
	 * "№ 123" or "123" is a card number; a phone in any format must belong to exactly one
	 * card.
	 */
	private Optional<Long> resolve(String typed) {
		String digits = typed.replaceAll("[^0-9]", "");
		if (digits.isEmpty() || digits.length() > 15) {
			return Optional.empty();
		}
		if (digits.length() < 10 && !typed.startsWith("+")) {
			return this.patients.find(Long.parseLong(digits))
				.filter(p -> p.getMergedInto() == null && !p.isErased())
				.map(Patient::getId);
		}
		Optional<PhoneNumber> phone = PhoneNumber.parse(typed);
		if (phone.isEmpty()) {
			return Optional.empty();
		}
		List<Long> owners = this.jdbc.sql("""
				select distinct ph.patient_id from patient_phone ph join patient p on p.id = ph.patient_id
				 where ph.number = :n and p.merged_into is null and p.erased_at is null
				""").param("n", phone.get().e164()).query(Long.class).list();
		return owners.size() == 1 ? this.patients.find(owners.get(0)).map(Patient::getId) : Optional.empty();
	}

}
