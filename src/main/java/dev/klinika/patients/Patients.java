package dev.klinika.patients;

import org.springframework.data.repository.ListCrudRepository;

/** All patient cards, tombstones included. */
public interface Patients extends ListCrudRepository<Patient, Long> {

}
