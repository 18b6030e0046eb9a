package dev.klinika.organization;

import org.springframework.data.repository.ListCrudRepository;

/**
 * All branches of the clinic; lists that people see go through
 * {@link OrganizationQueries}.
 */
public interface Branches extends ListCrudRepository<Branch, Long> {

}
