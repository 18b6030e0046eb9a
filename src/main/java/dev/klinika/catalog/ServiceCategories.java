package dev.klinika.catalog;

import java.util.List;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/** Categories of the catalog. */
public interface ServiceCategories extends ListCrudRepository<ServiceCategory, Long> {

	@Query("select * from service_category order by active desc, position, lower(name)")
	List<ServiceCategory> findAllSorted();

	@Query("select count(*) > 0 from service_category where lower(name) = lower(:name) and id <> :exceptId")
	boolean nameTaken(String name, long exceptId);

}
