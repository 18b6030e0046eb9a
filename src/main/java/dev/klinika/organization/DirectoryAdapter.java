package dev.klinika.organization;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.security.Directory;

/** Tells the users screen of {@code security} which branches and staff exist. */
@Component
class DirectoryAdapter implements Directory {

	private final JdbcClient jdbc;

	DirectoryAdapter(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<Entry> branches() {
		return this.jdbc.sql("select id, name from branch where active order by lower(name)")
			.query((rs, row) -> new Entry(rs.getLong("id"), rs.getString("name")))
			.list();
	}

	@Override
	public List<Entry> activeStaff() {
		return this.jdbc.sql("""
				select id, full_name || ', ' || position as name
				  from organization_staff_v where dismissed_on is null order by lower(surname), lower(name)
				""").query((rs, row) -> new Entry(rs.getLong("id"), rs.getString("name"))).list();
	}

	@Override
	public Optional<String> staffName(long staffId) {
		return this.jdbc.sql("select full_name from organization_staff_v where id = :id")
			.param("id", staffId)
			.query(String.class)
			.optional();
	}

}
