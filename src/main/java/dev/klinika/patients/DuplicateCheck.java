package dev.klinika.patients;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.shared.PhoneNumber;

/**
 * Finds cards that are likely the same person as the one about to be saved: the same
 * phone, the same email, or a similar name with the same birth date. Across all branches,
 * since a network's patients move between them.
 */
@Component
class DuplicateCheck {

	/**
	 * Trigram similarity of full names above which two people born the same day are one.
	 */
	static final double NAME_SIMILARITY = 0.5;

	private final JdbcClient jdbc;

	DuplicateCheck(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Transactional(readOnly = true)
	public List<Match> likely(PatientDetails details, @Nullable Long exceptId) {
		String name = (details.surname() + " " + details.name()
				+ (details.patronymic() == null || details.patronymic().isBlank() ? "" : " " + details.patronymic()))
			.trim()
			.toLowerCase(Locale.ROOT);
		List<String> phones = details.phones().stream().map(PhoneNumber::e164).toList();
		String email = details.email() == null || details.email().isBlank() ? null
				: details.email().trim().toLowerCase(Locale.ROOT);
		return this.jdbc
			.sql("""
					select p.id, p.surname || ' ' || p.name || coalesce(' ' || p.patronymic, '') as full_name, p.birth_date,
					       exists (select 1 from patient_phone ph where ph.patient_id = p.id and ph.number in (:phones)) as same_phone,
					       (:email::text is not null and lower(p.email) collate "C" = :email) as same_email,
					       (:birth::date is not null and p.birth_date = :birth and similarity(p.search_name, :name) >= :similarity)
					           as similar_name
					  from patient p
					 where p.merged_into is null and p.erased_at is null and p.id <> :except
					   and (p.id in (select ph.patient_id from patient_phone ph where ph.number in (:phones))
					        or (:email::text is not null and lower(p.email) collate "C" = :email)
					        or (:birth::date is not null and p.birth_date = :birth and similarity(p.search_name, :name) >= :similarity))
					 order by p.id limit 10
					""")
			.param("phones", phones.isEmpty() ? List.of("-") : phones)
			.param("email", email)
			.param("birth", details.birthDate())
			.param("name", name)
			.param("similarity", NAME_SIMILARITY)
			.param("except", exceptId == null ? -1L : exceptId)
			.query((rs, row) -> new Match(rs.getLong("id"), rs.getString("full_name"),
					rs.getObject("birth_date", LocalDate.class), rs.getBoolean("same_phone"),
					rs.getBoolean("same_email"), rs.getBoolean("similar_name")))
			.list();
	}

	/** A card that may be the same person, and why. */
	public record Match(long id, String fullName, @Nullable LocalDate birthDate, boolean samePhone, boolean sameEmail,
			boolean similarName) {
	}

}
