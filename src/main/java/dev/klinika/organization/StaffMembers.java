package dev.klinika.organization;

import org.springframework.data.repository.ListCrudRepository;

/** Everyone who works or worked at the clinic. */
public interface StaffMembers extends ListCrudRepository<StaffMember, Long> {

}
