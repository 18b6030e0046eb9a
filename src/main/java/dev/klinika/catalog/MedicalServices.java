package dev.klinika.catalog;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/** The services of the catalog. */
public interface MedicalServices extends ListCrudRepository<MedicalService, Long> {

	@Query("select count(*) > 0 from service where lower(code) = lower(:code) and id <> :exceptId")
	boolean codeTaken(String code, long exceptId);

}
