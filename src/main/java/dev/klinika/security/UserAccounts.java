package dev.klinika.security;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.transaction.annotation.Transactional;

/**
 * All logins. A login is read with its roles and branches by further queries while its
 * row is still open: each query method runs in a read-only transaction so that they share
 * one connection (outside one, each borrows another, and a burst of logins held the whole
 * pool waiting for more).
 */
interface UserAccounts extends ListCrudRepository<UserAccount, Long> {

	@Transactional(readOnly = true)
	@Query("select * from app_user where lower(username) = lower(:username)")
	Optional<UserAccount> findByUsername(String username);

	@Transactional(readOnly = true)
	@Query("select * from app_user order by enabled desc, lower(full_name)")
	List<UserAccount> findAllSorted();

	@Transactional(readOnly = true)
	Optional<UserAccount> findByStaffId(Long staffId);

}
