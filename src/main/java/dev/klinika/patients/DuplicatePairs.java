package dev.klinika.patients;

import java.time.LocalDate;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.BranchScope;

/**
 * Likely duplicates across the base: two live cards sharing a phone or an email, or born
 * the same day with similar names, where at least one is in the login's branches and
 * nobody marked them as different people.
 */
@Component
class DuplicatePairs {

	private final JdbcClient jdbc;

	DuplicatePairs(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Transactional(readOnly = true)
	public List<Pair> find(BranchScope scope, int limit) {
		return this.jdbc.sql("""
				with pairs as (
				    select a.patient_id as a, b.patient_id as b, 'PHONE' as why
				      from patient_phone a join patient_phone b on b.number = a.number and b.patient_id > a.patient_id
				    union
				    select a.id, b.id, 'EMAIL'
				      from patient a join patient b on lower(b.email) = lower(a.email) and b.id > a.id
				     where a.email is not null
				    union
				    select a.id, b.id, 'NAME'
				      from patient a join patient b on b.birth_date = a.birth_date and b.id > a.id
				     where similarity(a.search_name, b.search_name) >= :similarity
				)
				select p.a, p.b, string_agg(p.why, ',' order by p.why) as why,
				       pa.full_name as a_name, pa.birth_date as a_birth,
				       pb.full_name as b_name, pb.birth_date as b_birth
				  from pairs p
				  join patients_card_v pa on pa.id = p.a and pa.merged_into is null and pa.erased_at is null
				  join patients_card_v pb on pb.id = p.b and pb.merged_into is null and pb.erased_at is null
				 where (:all or pa.home_branch_id in (:ids) or pb.home_branch_id in (:ids))
				   and not exists (select 1 from patient_not_duplicate n where n.patient_a = p.a and n.patient_b = p.b)
				 group by p.a, p.b, pa.full_name, pa.birth_date, pb.full_name, pb.birth_date
				 order by p.b desc
				 limit :limit
				""")
			.param("similarity", DuplicateCheck.NAME_SIMILARITY)
			.param("all", scope.all())
			.param("ids", scope.idsForSql())
			.param("limit", limit)
			.query((rs, row) -> new Pair(rs.getLong("a"), rs.getString("a_name"),
					rs.getObject("a_birth", LocalDate.class), rs.getLong("b"), rs.getString("b_name"),
					rs.getObject("b_birth", LocalDate.class), List.of(rs.getString("why").split(","))))
			.list();
	}

	/** Two cards that may be one person, and why: PHONE, EMAIL, NAME. */
	public record Pair(long a, String aName, @Nullable LocalDate aBirth, long b, String bName,
			@Nullable LocalDate bBirth, List<String> reasons) {
	}

}
