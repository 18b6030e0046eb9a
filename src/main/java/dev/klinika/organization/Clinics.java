package dev.klinika.organization;

import org.springframework.data.repository.Repository;

/** The one clinic of this installation. */
interface Clinics extends Repository<Clinic, Long> {

	Clinic findById(Long id);

	Clinic save(Clinic clinic);

	default Clinic current() {
		return findById(1L);
	}

}
