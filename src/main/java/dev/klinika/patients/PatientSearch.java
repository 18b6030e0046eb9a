package dev.klinika.patients;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.BranchScope;
import dev.klinika.shared.PhoneNumber;

/**
 * The one search box: a birth date, an email, a phone (whole in any format, or its last
 * 4+ digits) or any part of the name with typos. Everything runs in PostgreSQL on
 * indexes.
 */
@Component
public class PatientSearch {

	/**
	 * How alike a typed name must be to a card's name; pg_trgm's default 0.6 misses
	 * "Иванва Мар".
	 */
	static final double NAME_THRESHOLD = 0.45;

	/** Counting stops here: "more than 1000" is all a person needs to know. */
	static final int COUNT_CAP = 1000;

	private static final List<DateTimeFormatter> DATES = List.of(DateTimeFormatter.ofPattern("d.M.uuuu"),
			DateTimeFormatter.ISO_LOCAL_DATE);

	private final JdbcClient jdbc;

	PatientSearch(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Transactional(readOnly = true)
	public Results search(String query, BranchScope scope, int offset, int limit) {
		String text = query.trim().replaceAll("\\s+", " ");
		if (text.isEmpty() || text.length() > 200) {
			return new Results(List.of(), 0, What.NOTHING);
		}
		Optional<LocalDate> date = date(text);
		if (date.isPresent()) {
			return run("p.birth_date = :date", "p.search_name", scope, offset, limit, What.BIRTH_DATE,
					statement -> statement.param("date", date.get()));
		}
		if (text.contains("@")) {
			String email = text.toLowerCase(Locale.ROOT);
			return run("lower(p.email) ~>=~ :from and lower(p.email) ~<~ :to", "lower(p.email)", scope, offset, limit,
					What.EMAIL, statement -> statement.param("from", email).param("to", next(email)));
		}
		String digits = text.replaceAll("[\\s()+\\-.]", "");
		if (digits.matches("\\d{4,15}")) {
			return phone(text, digits, scope, offset, limit);
		}
		String name = text.toLowerCase(Locale.ROOT);
		this.jdbc.sql("select set_config('pg_trgm.word_similarity_threshold', :t, true)")
			.param("t", String.valueOf(NAME_THRESHOLD))
			.query(String.class)
			.single();
		// Names that start with what was typed come first, then the most similar ones.
		return run("(p.search_name ~>=~ :from and p.search_name ~<~ :to) or :name <% p.search_name",
				"(p.search_name ~>=~ :from and p.search_name ~<~ :to) desc, word_similarity(:name, p.search_name) desc, p.search_name",
				scope, offset, limit, What.NAME,
				statement -> statement.param("from", name).param("to", next(name)).param("name", name));
	}

	private Results phone(String text, String digits, BranchScope scope, int offset, int limit) {
		Optional<PhoneNumber> whole = digits.length() >= 10 ? PhoneNumber.parse(text) : Optional.empty();
		if (whole.isPresent()) {
			return run("exists (select 1 from patient_phone ph where ph.patient_id = p.id and ph.number = :number)",
					"p.search_name", scope, offset, limit, What.PHONE,
					statement -> statement.param("number", whole.get().e164()));
		}
		// The last digits are the start of the reversed number: an index range, not a
		// scan.
		String reversed = new StringBuilder(digits).reverse().toString();
		return run("""
				exists (select 1 from patient_phone ph where ph.patient_id = p.id
				         and reverse(ph.number) ~>=~ :from and reverse(ph.number) ~<~ :to)
				""", "p.search_name", scope, offset, limit, What.PHONE,
				statement -> statement.param("from", reversed).param("to", next(reversed)));
	}

	private Results run(String condition, String order, BranchScope scope, int offset, int limit, What what,
			java.util.function.UnaryOperator<JdbcClient.StatementSpec> parameters) {
		String where = " where p.merged_into is null and p.erased_at is null and (:all or p.home_branch_id in (:ids)) and ("
				+ condition + ")";
		List<Row> rows = parameters.apply(this.jdbc.sql("""
				select p.id, p.surname, p.name, p.patronymic, p.birth_date, p.email, b.name as branch,
				       (select ph.number from patient_phone ph where ph.patient_id = p.id
				         order by ph.main desc, ph.number limit 1) as phone
				  from patient p join branch b on b.id = p.home_branch_id
				""" + where + " order by " + order + ", p.id offset :offset limit :limit"))
			.param("all", scope.all())
			.param("ids", scope.idsForSql())
			.param("offset", offset)
			.param("limit", limit)
			.query((rs, row) -> new Row(rs.getLong("id"),
					String
						.join(" ", rs.getString("surname"), rs.getString("name"),
								rs.getString("patronymic") == null ? "" : rs.getString("patronymic"))
						.trim(),
					rs.getObject("birth_date", LocalDate.class), rs.getString("phone"), rs.getString("email"),
					rs.getString("branch")))
			.list();
		long total = rows.size() < limit && offset == 0 ? rows.size() : parameters
			.apply(this.jdbc.sql(
					"select count(*) from (select 1 from patient p" + where + " limit " + (COUNT_CAP + 1) + ") capped"))
			.param("all", scope.all())
			.param("ids", scope.idsForSql())
			.query(Long.class)
			.single();
		return new Results(rows, total, what);
	}

	/** The smallest string after every string that starts with {@code prefix}. */
	static String next(String prefix) {
		int last = prefix.length() - 1;
		return prefix.substring(0, last) + (char) (prefix.charAt(last) + 1);
	}

	static Optional<LocalDate> date(String text) {
		for (DateTimeFormatter format : DATES) {
			try {
				return Optional.of(LocalDate.parse(text, format));
			}
			catch (DateTimeParseException ex) {
				// not this format
			}
		}
		return Optional.empty();
	}

	/** What the box understood the query as. */
	public enum What {

		NOTHING, NAME, PHONE, EMAIL, BIRTH_DATE

	}

	/**
	 * A page of found cards and how many there are in all (up to {@link #COUNT_CAP} + 1).
	 */
	public record Results(List<Row> rows, long total, What what) {

		public boolean totalCapped() {
			return this.total > COUNT_CAP;
		}

	}

	/** A found card. */
	public record Row(long id, String fullName, @Nullable LocalDate birthDate, @Nullable String phone,
			@Nullable String email, String branch) {

		public @Nullable String phoneDisplay() {
			return this.phone == null ? null : new PhoneNumber(this.phone).display();
		}

	}

}
