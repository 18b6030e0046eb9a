package dev.klinika.security;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/** All logins. */
interface UserAccounts extends ListCrudRepository<UserAccount, Long> {

	@Query("select * from app_user where lower(username) = lower(:username)")
	Optional<UserAccount> findByUsername(String username);

	@Query("select * from app_user order by enabled desc, lower(full_name)")
	List<UserAccount> findAllSorted();

	Optional<UserAccount> findByStaffId(Long staffId);

}
