package dev.klinika.patients;

import java.util.List;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/** The managed list of sources. */
public interface PatientSources extends ListCrudRepository<PatientSource, Long> {

	@Query("select * from patient_source order by active desc, lower(name)")
	List<PatientSource> findAllSorted();

	@Query("select count(*) > 0 from patient_source where lower(name) = lower(:name)")
	boolean nameTaken(String name);

}
