package dev.klinika.patients;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.RowMapper;
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

	/** How alike a typed surname must be to a card's: "иванва" is 0.4 like "иванов". */
	static final double SURNAME_THRESHOLD = 0.3;

	/**
	 * How alike the typed words must be to some part of a card's full name, in the last
	 * step.
	 */
	static final double NAME_THRESHOLD = 0.6;

	/** Counting stops here: "more than 1000" is all a person needs to know. */
	static final int COUNT_CAP = 1000;

	private static final List<DateTimeFormatter> DATES = List.of(DateTimeFormatter.ofPattern("d.M.uuuu"),
			DateTimeFormatter.ISO_LOCAL_DATE);

	private final JdbcClient jdbc;

	private final dev.klinika.organization.OrganizationQueries organization;

	PatientSearch(JdbcClient jdbc, dev.klinika.organization.OrganizationQueries organization) {
		this.jdbc = jdbc;
		this.organization = organization;
	}

	/**
	 * The live card a phone number belongs to, whoever may see it (a caller, a reply):
	 * the one whose main number it is first, then the newest.
	 */
	@Transactional(readOnly = true)
	public java.util.Optional<Long> cardOf(dev.klinika.shared.PhoneNumber number) {
		return this.jdbc.sql("""
				select p.id from patient_phone ph join patient p on p.id = ph.patient_id
				 where ph.number = :number and p.merged_into is null and p.erased_at is null
				 order by ph.main desc, p.id desc limit 1
				""").param("number", number.e164()).query(Long.class).optional();
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
			return run("lower(p.email) collate \"C\" >= :from and lower(p.email) collate \"C\" < :to", "p.search_name",
					scope, offset, limit, What.EMAIL,
					statement -> statement.param("from", email).param("to", next(email)));
		}
		String digits = text.replaceAll("[\\s()+\\-.]", "");
		if (digits.matches("\\d{4,15}")) {
			return phone(text, digits, scope, offset, limit);
		}
		return name(text.toLowerCase(Locale.ROOT), scope, offset, limit);
	}

	/**
	 * Names in three steps, each only when the one before leaves the page short: cards
	 * whose name starts with the query ("петрова ан"), then a surname with a typo plus
	 * the start of the name ("петрва ан"), then word similarity on the whole name (the
	 * words in another order).
	 */
	private Results name(String name, BranchScope scope, int offset, int limit) {
		String prefix = "p.search_name collate \"C\" >= :from and p.search_name collate \"C\" < :to";
		UnaryOperator<JdbcClient.StatementSpec> prefixParams = statement -> statement.param("from", name)
			.param("to", next(name));
		// A surname and the start of a given name narrow to a few hundred cards at most:
		// among them, the people the clinic dealt with last come first. A surname alone
		// stays in the index's order (thousands of Ivanovs would all have to be sorted).
		String order = name.contains(" ") ? RECENT_FIRST : "p.search_name collate \"C\"";
		Results starts = run(prefix, order, scope, offset, limit, What.NAME, prefixParams);
		if (starts.rows().size() == limit) {
			return starts;
		}
		// The later steps continue the list where the names that start with the query
		// end.
		int skip = Math.max(0, offset - (int) starts.total());
		int wanted = limit - starts.rows().size();
		String[] words = name.split(" ", 2);
		this.jdbc.sql("select set_config('pg_trgm.similarity_threshold', :t, true)")
			.param("t", String.valueOf(SURNAME_THRESHOLD))
			.query(String.class)
			.single();
		Results similar = typo(words[0], words.length > 1 ? words[1] : "", name, scope, skip, wanted);
		if (starts.total() + similar.total() > 0) {
			return concat(starts, similar);
		}
		this.jdbc.sql("select set_config('pg_trgm.word_similarity_threshold', :t, true)")
			.param("t", String.valueOf(NAME_THRESHOLD))
			.query(String.class)
			.single();
		return run(":name <% p.search_name", "word_similarity(:name, p.search_name) desc, p.search_name", scope, offset,
				limit, What.NAME, statement -> statement.param("name", name));
	}

	/**
	 * A surname with a typo: the surnames of the base one edit away (sharing a variant
	 * with a letter deleted: a letter added, lost, replaced, or two neighbours swapped),
	 * nearest first, then the most similar by trigrams for anything further (from the
	 * short list of distinct surnames); then for each, in that order, its cards whose
	 * given name starts with what was typed, read from the prefix index. Not counted:
	 * there are "more" when the page is full.
	 */
	private Results typo(String surname, String given, String whole, BranchScope scope, int offset, int limit) {
		List<String> surnames = nearSurnames(surname);
		if (surnames.isEmpty()) {
			return new Results(List.of(), offset, What.NAME, true);
		}
		List<Row> rows = this.jdbc.sql("""
				select p.id, p.surname, p.name, p.patronymic, p.birth_date, p.email, p.home_branch_id,
				       (select ph.number from patient_phone ph where ph.patient_id = p.id
				         order by ph.main desc, ph.number limit 1) as phone
				  from unnest(string_to_array(:surnames, chr(31))) with ordinality as s(surname, rank)
				  cross join lateral (
				      select * from patient p
				       where p.search_name collate "C" >= s.surname || ' ' || :given
				         and p.search_name collate "C" < s.surname || ' ' || :given || chr(1114111)
				         and p.merged_into is null and p.erased_at is null and (:all or p.home_branch_id in (:ids))
				       order by p.search_name collate "C" limit :window) p
				 where not (p.search_name collate "C" >= :from and p.search_name collate "C" < :to)
				 order by s.rank, p.search_name collate "C", p.id
				offset :offset limit :limit
				""")
			.param("surnames", String.join("\u001f", surnames))
			.param("given", given)
			.param("from", whole)
			.param("to", next(whole))
			.param("all", scope.all())
			.param("ids", scope.idsForSql())
			.param("window", offset + limit + 1)
			.param("offset", offset)
			.param("limit", limit + 1)
			.query(rowMapper())
			.list();
		boolean more = rows.size() > limit;
		return new Results(more ? rows.subList(0, limit) : rows, offset + rows.size(), What.NAME, !more);
	}

	/** How many surnames a typo is looked up under. */
	static final int NEAR_SURNAMES = 20;

	/**
	 * The surnames a typed word may mean, nearest first: those one edit away (by the
	 * variants index), then the most similar by trigrams.
	 */
	private List<String> nearSurnames(String typed) {
		List<String> oneEdit = this.jdbc.sql("""
				select distinct v.surname from patient_surname_variant v
				 where v.variant in (select patient_surname_variants(:typed)) limit 200
				""").param("typed", typed).query(String.class).list();
		List<String> similar = this.jdbc.sql("""
				select s.surname from patient_surname s where s.surname % :typed
				 order by similarity(s.surname, :typed) desc, s.surname limit :limit
				""").param("typed", typed).param("limit", NEAR_SURNAMES).query(String.class).list();
		java.util.LinkedHashSet<String> near = new java.util.LinkedHashSet<>();
		oneEdit.stream()
			.sorted(java.util.Comparator.<String>comparingInt(surname -> editDistance(typed, surname))
				.thenComparing(java.util.Comparator.naturalOrder()))
			.forEach(near::add);
		near.addAll(similar);
		return near.stream().limit(NEAR_SURNAMES).toList();
	}

	/**
	 * A patient as a list beside other modules' data names them: name, main phone, the
	 * source on the card.
	 */
	public record Brief(long id, String name, @Nullable String phone, @Nullable String source, String shortName) {
	}

	/** The names, main phones and sources of cards by id, in one query. */
	public java.util.Map<Long, Brief> briefs(java.util.Collection<Long> ids) {
		java.util.Map<Long, Brief> briefs = new java.util.HashMap<>();
		if (!ids.isEmpty()) {
			this.jdbc.sql("""
					select p.id, p.full_name,
					       (select ph.number from patient_phone ph where ph.patient_id = p.id
					         order by ph.main desc, ph.number limit 1), s.name, p.short_name
					  from patients_card_v p left join patient_source s on s.id = p.source_id where p.id in (:ids)
					""")
				.param("ids", ids)
				.query((rs, n) -> briefs.put(rs.getLong(1),
						new Brief(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5))))
				.list();
		}
		return briefs;
	}

	/**
	 * Edits between two words, counting two neighbours swapped as one (optimal string
	 * alignment distance), as people mistype.
	 */
	static int editDistance(String a, String b) {
		int[][] d = new int[a.length() + 1][b.length() + 1];
		for (int i = 0; i <= a.length(); i++) {
			d[i][0] = i;
		}
		for (int j = 0; j <= b.length(); j++) {
			d[0][j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			for (int j = 1; j <= b.length(); j++) {
				int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
				d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
				if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
					d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
				}
			}
		}
		return d[a.length()][b.length()];
	}

	private static Results concat(Results first, Results second) {
		List<Row> rows = new java.util.ArrayList<>(first.rows());
		rows.addAll(second.rows());
		return new Results(rows, first.total() + second.total(), What.NAME, first.exact() && second.exact());
	}

	/**
	 * Many cards share the last digits of a phone (and a family one number): the ones the
	 * clinic dealt with last come first.
	 */
	private static final String RECENT_FIRST = "p.last_activity_at desc nulls last, p.search_name";

	private Results phone(String text, String digits, BranchScope scope, int offset, int limit) {
		Optional<PhoneNumber> whole = digits.length() >= 10 ? PhoneNumber.parse(text) : Optional.empty();
		if (whole.isPresent()) {
			return run("exists (select 1 from patient_phone ph where ph.patient_id = p.id and ph.number = :number)",
					RECENT_FIRST, scope, offset, limit, What.PHONE,
					statement -> statement.param("number", whole.get().e164()));
		}
		// The last digits are the start of the reversed number: an index range, not a
		// scan.
		String reversed = new StringBuilder(digits).reverse().toString();
		return run("""
				exists (select 1 from patient_phone ph where ph.patient_id = p.id
				         and reverse(ph.number) collate "C" >= :from and reverse(ph.number) collate "C" < :to)
				""", RECENT_FIRST, scope, offset, limit, What.PHONE,
				statement -> statement.param("from", reversed).param("to", next(reversed)));
	}

	private Results run(String condition, String order, BranchScope scope, int offset, int limit, What what,
			UnaryOperator<JdbcClient.StatementSpec> parameters) {
		String where = " where p.merged_into is null and p.erased_at is null and (:all or p.home_branch_id in (:ids)) and ("
				+ condition + ")";
		List<Row> rows = parameters.apply(this.jdbc.sql("""
				select p.id, p.surname, p.name, p.patronymic, p.birth_date, p.email, p.home_branch_id,
				       (select ph.number from patient_phone ph where ph.patient_id = p.id
				         order by ph.main desc, ph.number limit 1) as phone
				  from patient p
				""" + where + " order by " + order + ", p.id offset :offset limit :limit"))
			.param("all", scope.all())
			.param("ids", scope.idsForSql())
			.param("offset", offset)
			.param("limit", limit)
			.query(rowMapper())
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

	/**
	 * Reads a found card; its branch by name from organization (read once per search:
	 * patients do not read the branch table).
	 */
	RowMapper<Row> rowMapper() {
		Map<Long, String> branches = this.organization.branchNames();
		return (rs, n) -> row(rs, branches);
	}

	static Row row(java.sql.ResultSet rs, Map<Long, String> branches) throws java.sql.SQLException {
		String patronymic = rs.getString("patronymic");
		return new Row(rs.getLong("id"),
				rs.getString("surname") + " " + rs.getString("name") + (patronymic == null ? "" : " " + patronymic),
				rs.getObject("birth_date", LocalDate.class), rs.getString("phone"), rs.getString("email"),
				branches.getOrDefault(rs.getLong("home_branch_id"), "—"));
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
	public record Results(List<Row> rows, long total, What what, boolean exact) {

		public Results(List<Row> rows, long total, What what) {
			this(rows, total, what, true);
		}

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
