package dev.klinika.organization;

import java.util.List;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/** The clinic's specialties. */
public interface Specialties extends ListCrudRepository<Specialty, Long> {

	@Query("select * from specialty order by active desc, lower(name)")
	List<Specialty> findAllSorted();

	@Query("select * from specialty where active order by lower(name)")
	List<Specialty> findActive();

	@Query("select count(*) > 0 from specialty where lower(name) = lower(:name) and id <> :exceptId")
	boolean nameTaken(String name, long exceptId);

}
