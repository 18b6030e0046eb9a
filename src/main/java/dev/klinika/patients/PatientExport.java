package dev.klinika.patients;

import java.time.LocalDate;
import java.util.function.Consumer;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.BranchScope;

/** Streams the cards of a list for export, one row at a time, in the order of names. */
@Component
class PatientExport {

	static final int MAX_ROWS = 1_000_000;

	private final JdbcClient jdbc;

	private final PatientSearch search;

	private final dev.klinika.organization.OrganizationQueries organization;

	PatientExport(JdbcClient jdbc, PatientSearch search, dev.klinika.organization.OrganizationQueries organization) {
		this.jdbc = jdbc;
		this.search = search;
		this.organization = organization;
	}

	/**
	 * The cards the search box finds for {@code query}, or all cards of the scope when it
	 * is empty.
	 */
	@Transactional(readOnly = true)
	public int each(String query, BranchScope scope, Consumer<PatientSearch.Row> rows) {
		if (!query.isBlank()) {
			var found = this.search.search(query, scope, 0, 100_000).rows();
			found.forEach(rows);
			return found.size();
		}
		int[] count = { 0 };
		var branches = this.organization.branchNames();
		this.jdbc.sql("""
				select p.id, p.surname, p.name, p.patronymic, p.birth_date, p.email, p.home_branch_id,
				       (select ph.number from patient_phone ph where ph.patient_id = p.id
				         order by ph.main desc, ph.number limit 1) as phone
				  from patient p
				 where p.merged_into is null and p.erased_at is null and (:all or p.home_branch_id in (:ids))
				 order by p.search_name collate "C", p.id limit :max
				""")
			.param("all", scope.all())
			.param("ids", scope.idsForSql())
			.param("max", MAX_ROWS)
			.withFetchSize(1000)
			.query(rs -> {
				rows.accept(PatientSearch.row(rs, branches));
				count[0]++;
			});
		return count[0];
	}

}
