package dev.klinika.organization;

import java.util.List;

import org.springframework.data.repository.ListCrudRepository;

/** Rooms of all branches. */
public interface Rooms extends ListCrudRepository<Room, Long> {

	List<Room> findByBranchIdOrderByName(Long branchId);

}
