package dev.klinika.patients;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;

/**
 * Imports an existing base from CSV or XLSX: upload and automatic column mapping, a dry
 * run that reports every bad cell, then the valid rows in batches with progress. A row
 * whose phone, email, or name and birth date is already in the base is skipped, so
 * importing a file twice adds nothing.
 */
@Service
public class PatientImports {

	private static final Logger log = LoggerFactory.getLogger(PatientImports.class);

	/** Larger files are refused before they are read. */
	public static final int MAX_BYTES = 20 * 1024 * 1024;

	static final int MAX_ROWS = 300_000;

	static final int BATCH = 2_000;

	/** The report keeps this many problems; the counts are always complete. */
	static final int MAX_ISSUES = 1_000;

	private final JdbcClient jdbc;

	private final PatientBulkInsert bulk;

	private final TransactionTemplate transaction;

	private final TaskExecutor executor;

	private final CurrentUser currentUser;

	private final AuditLog audit;

	private final Clock clock;

	PatientImports(JdbcClient jdbc, PatientBulkInsert bulk, TransactionTemplate transaction, TaskExecutor executor,
			CurrentUser currentUser, AuditLog audit, Clock clock) {
		this.jdbc = jdbc;
		this.bulk = bulk;
		this.transaction = transaction;
		this.executor = executor;
		this.currentUser = currentUser;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * Stores the file and guesses the columns; refuses what is not a table with a reason.
	 */
	public UUID upload(String fileName, byte[] content, long homeBranchId, @Nullable Long sourceId) {
		if (content.length > MAX_BYTES) {
			throw new TableReader.Unreadable("TOO_LARGE", null);
		}
		if (!this.currentUser.scope().includes(homeBranchId)) {
			throw new IllegalArgumentException("Branch " + homeBranchId + " is outside the login's branches");
		}
		TableReader.Format format = TableReader.detect(content);
		List<String> headers = new ArrayList<>();
		try {
			TableReader.read(content, format, (number, cells) -> {
				headers.addAll(cells);
				throw new TableReader.Stop();
			});
		}
		catch (TableReader.Stop done) {
			// the first row is all the upload needs
		}
		if (headers.isEmpty()) {
			throw new TableReader.Unreadable("EMPTY", null);
		}
		List<ImportField> mapping = headers.stream().map(ImportField::forHeader).toList();
		requireNames(mapping);
		UUID id = UUID.randomUUID();
		this.jdbc
			.sql("""
					insert into patient_import (id, file_name, format, charset, separator, home_branch_id, source_id, headers,
					                            mapping, status, content, uploaded_by)
					values (:id, :name, :format, :charset, :separator, :branch, :source, :headers, :mapping, 'UPLOADED',
					        :content, :by)
					""")
			.param("id", id)
			.param("name", fileName.length() > 255 ? fileName.substring(0, 255) : fileName)
			.param("format", format.kind())
			.param("charset", format.charset())
			.param("separator", format.separator() == null ? null : String.valueOf(format.separator()))
			.param("branch", homeBranchId)
			.param("source", sourceId)
			.param("headers", String.join("\t", headers.stream().map(h -> h.replace('\t', ' ')).toList()))
			.param("mapping", String.join("\t", mapping.stream().map(Enum::name).toList()))
			.param("content", content)
			.param("by", this.currentUser.actor())
			.update();
		this.audit.record("IMPORT_UPLOADED", "import", id, fileName + " " + content.length + " bytes");
		return id;
	}

	/**
	 * Checks every row with the given mapping without saving a card, and keeps the
	 * report.
	 */
	public Summary check(UUID id, List<ImportField> mapping) {
		Summary upload = find(id).orElseThrow();
		if (mapping.size() != upload.headers().size()) {
			throw new IllegalArgumentException(
					"The mapping has " + mapping.size() + " columns, the file " + upload.headers().size());
		}
		requireNames(mapping);
		Scan scan = scan(id, upload, mapping, null);
		this.transaction.executeWithoutResult(status -> {
			this.jdbc.sql("delete from patient_import_issue where import_id = :id").param("id", id).update();
			for (ImportRow.Issue issue : scan.issues) {
				this.jdbc.sql("""
						insert into patient_import_issue (import_id, row_no, column_name, value, reason)
						values (:id, :row, :column, :value, :reason)
						""")
					.param("id", id)
					.param("row", issue.row())
					.param("column", cut(issue.column(), 100))
					.param("value", cut(issue.value(), 200))
					.param("reason", issue.reason())
					.update();
			}
			this.jdbc.sql("""
					update patient_import set mapping = :mapping, status = 'CHECKED', total_rows = :total,
					       valid_rows = :valid, invalid_rows = :invalid, duplicate_rows = :duplicates
					 where id = :id and status in ('UPLOADED', 'CHECKED')
					""")
				.param("mapping", String.join("\t", mapping.stream().map(Enum::name).toList()))
				.param("total", scan.total)
				.param("valid", scan.valid)
				.param("invalid", scan.invalid)
				.param("duplicates", scan.duplicates)
				.param("id", id)
				.update();
		});
		return find(id).orElseThrow();
	}

	/**
	 * Starts importing the checked rows in the background. With invalid rows in the file
	 * nothing is imported unless {@code validOnly} says to import the valid ones and skip
	 * the rest.
	 */
	public void start(UUID id, boolean validOnly) {
		Summary checked = find(id).orElseThrow();
		if (!"CHECKED".equals(checked.status())) {
			throw new IllegalStateException("Import " + id + " is " + checked.status() + ", not checked");
		}
		if (checked.invalidRows() > 0 && !validOnly) {
			throw new IllegalStateException("Import " + id + " has invalid rows");
		}
		int claimed = this.jdbc
			.sql("update patient_import set status = 'IMPORTING' where id = :id and status = 'CHECKED'")
			.param("id", id)
			.update();
		if (claimed == 0) {
			return;
		}
		String actor = this.currentUser.actor();
		var scope = this.currentUser.scope();
		this.executor.execute(() -> run(id, checked, actor, scope.all() ? "all" : scope.ids().toString()));
	}

	private void run(UUID id, Summary upload, String actor, String scope) {
		try {
			Scan scan = scan(id, upload, upload.mapping(), actor);
			this.jdbc.sql("""
					update patient_import set status = 'DONE', imported_rows = :imported, finished_at = now(),
					       content = ''::bytea
					 where id = :id
					""").param("imported", scan.imported).param("id", id).update();
			this.audit.record(actor, null, "PATIENTS_IMPORTED", "import", id,
					upload.fileName() + ": " + scan.imported + " imported, " + scan.duplicates
							+ " already in the base, " + scan.invalid + " invalid skipped; scope " + scope);
		}
		catch (RuntimeException ex) {
			log.warn("Import {} failed", id, ex);
			this.jdbc
				.sql("update patient_import set status = 'FAILED', error = :error, finished_at = now() where id = :id")
				.param("error", cut(ex.getMessage(), 1000))
				.param("id", id)
				.update();
		}
	}

	/**
	 * Reads the file once: checks each row, and skips rows already in the base or earlier
	 * in the file. With an {@code actor}, writes the valid new rows in batches and counts
	 * progress.
	 */
	private Scan scan(UUID id, Summary upload, List<ImportField> mapping, @Nullable String actor) {
		byte[] content = this.jdbc.sql("select content from patient_import where id = :id")
			.param("id", id)
			.query(byte[].class)
			.single();
		TableReader.Format format = new TableReader.Format(upload.format(), upload.charset(),
				upload.separator() == null ? null : upload.separator().charAt(0));
		LocalDate today = LocalDate.now(this.clock);
		Scan scan = new Scan();
		List<ImportRow> batch = new ArrayList<>();
		TableReader.read(content, format, (number, cells) -> {
			if (number == 1) {
				return;
			}
			if (++scan.total > MAX_ROWS) {
				throw new TableReader.Unreadable("TOO_MANY_ROWS", null);
			}
			ImportRow row = ImportRow.check(number, cells, upload.headers(), mapping, today);
			if (!row.valid()) {
				scan.invalid++;
				row.issues.stream().limit(MAX_ISSUES - scan.issues.size()).forEach(scan.issues::add);
				return;
			}
			batch.add(row);
			if (batch.size() == BATCH) {
				flush(batch, scan, upload, actor, id);
			}
		});
		flush(batch, scan, upload, actor, id);
		return scan;
	}

	private void flush(List<ImportRow> batch, Scan scan, Summary upload, @Nullable String actor, UUID id) {
		if (batch.isEmpty()) {
			return;
		}
		Known known = known(batch);
		List<BulkPatient> fresh = new ArrayList<>();
		OffsetDateTime now = OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		for (ImportRow row : batch) {
			if (scan.seen(row) || known.has(row)) {
				scan.duplicates++;
				if (scan.issues.size() < MAX_ISSUES) {
					scan.issues.add(new ImportRow.Issue(row.number, null, row.searchName(), "ALREADY_IN_BASE"));
				}
				continue;
			}
			scan.valid++;
			fresh.add(new BulkPatient(row.surname, row.name, row.patronymic, row.sex, row.birthDate, row.email,
					row.notes, upload.sourceId(), upload.homeBranchId(), actor == null ? "" : actor, now, row.phones,
					Map.of(), row.tags, List.of(), "IMPORTED", upload.fileName()));
		}
		if (actor != null && !fresh.isEmpty()) {
			this.transaction.executeWithoutResult(status -> {
				this.bulk.insert(fresh);
				this.jdbc.sql("update patient_import set imported_rows = imported_rows + :n where id = :id")
					.param("n", fresh.size())
					.param("id", id)
					.update();
			});
			scan.imported += fresh.size();
			if (++scan.batches % 10 == 0) {
				// Fresh statistics keep the duplicate lookups on their indexes as the
				// table grows.
				this.jdbc.sql("analyze patient, patient_phone").update();
			}
		}
		batch.clear();
	}

	/**
	 * Which of a batch's phones, emails and name-and-birth-date pairs live cards already
	 * have. Each lookup is driven by its own index with one array parameter: a join with
	 * the patient table let stale statistics (a table that grew by thousands a second)
	 * pick a scan of all patients. Merged and erased cards keep no phones, so phones need
	 * no such join at all.
	 */
	private Known known(List<ImportRow> batch) {
		String[] phones = batch.stream().flatMap(row -> row.phones.stream()).distinct().toArray(String[]::new);
		String[] emails = batch.stream().map(row -> row.email).filter(e -> e != null).distinct().toArray(String[]::new);
		java.sql.Date[] dates = batch.stream()
			.map(row -> row.birthDate)
			.filter(d -> d != null)
			.distinct()
			.map(java.sql.Date::valueOf)
			.toArray(java.sql.Date[]::new);
		Known known = new Known();
		if (phones.length > 0) {
			known.phones.addAll(this.jdbc.sql("select number from patient_phone where number = any(:phones)")
				.param("phones", phones)
				.query(String.class)
				.list());
		}
		if (emails.length > 0) {
			known.emails.addAll(this.jdbc.sql("""
					select lower(email) from patient
					 where lower(email) collate "C" = any(:emails) and merged_into is null and erased_at is null
					""").param("emails", emails).query(String.class).list());
		}
		if (dates.length > 0) {
			known.people.addAll(this.jdbc.sql("""
					select search_name || '|' || birth_date from patient
					 where birth_date = any(:dates) and merged_into is null and erased_at is null
					""").param("dates", dates).query(String.class).list());
		}
		return known;
	}

	public Optional<Summary> find(UUID id) {
		return this.jdbc
			.sql("""
					select id, file_name, format, charset, separator, home_branch_id, source_id, headers, mapping, status,
					       total_rows, valid_rows, invalid_rows, duplicate_rows, imported_rows, error, uploaded_by, uploaded_at
					  from patient_import where id = :id
					""")
			.param("id", id)
			.query((rs, n) -> new Summary((UUID) rs.getObject("id"), rs.getString("file_name"), rs.getString("format"),
					rs.getString("charset"), rs.getString("separator"), rs.getLong("home_branch_id"),
					(Long) rs.getObject("source_id"), List.of(rs.getString("headers").split("\t", -1)),
					Arrays.stream(rs.getString("mapping").split("\t", -1)).map(ImportField::valueOf).toList(),
					rs.getString("status"), rs.getInt("total_rows"), rs.getInt("valid_rows"), rs.getInt("invalid_rows"),
					rs.getInt("duplicate_rows"), rs.getInt("imported_rows"), rs.getString("error"),
					rs.getString("uploaded_by"), rs.getObject("uploaded_at", OffsetDateTime.class)))
			.optional()
			.filter(summary -> this.currentUser.scope().includes(summary.homeBranchId()));
	}

	public List<ImportRow.Issue> issues(UUID id, int limit) {
		return this.jdbc.sql("""
				select row_no, column_name, value, reason from patient_import_issue
				 where import_id = :id order by row_no, reason limit :limit
				""")
			.param("id", id)
			.param("limit", limit)
			.query((rs, n) -> new ImportRow.Issue(rs.getInt("row_no"), rs.getString("column_name"),
					rs.getString("value"), rs.getString("reason")))
			.list();
	}

	public List<Summary> recent() {
		List<UUID> ids = this.jdbc.sql("select id from patient_import order by uploaded_at desc limit 20")
			.query(UUID.class)
			.list();
		return ids.stream().map(this::find).flatMap(Optional::stream).toList();
	}

	private static void requireNames(List<ImportField> mapping) {
		boolean names = mapping.contains(ImportField.FULL_NAME)
				|| (mapping.contains(ImportField.SURNAME) && mapping.contains(ImportField.NAME));
		if (!names) {
			throw new TableReader.Unreadable("MISSING_COLUMNS", null);
		}
	}

	private static @Nullable String cut(@Nullable String value, int max) {
		return value == null || value.length() <= max ? value : value.substring(0, max);
	}

	/** An import as its screen shows it. */
	public record Summary(UUID id, String fileName, String format, @Nullable String charset, @Nullable String separator,
			long homeBranchId, @Nullable Long sourceId, List<String> headers, List<ImportField> mapping, String status,
			int totalRows, int validRows, int invalidRows, int duplicateRows, int importedRows, @Nullable String error,
			@Nullable String uploadedBy, OffsetDateTime uploadedAt) {

		public int percent() {
			return this.validRows == 0 ? 100 : Math.min(100, this.importedRows * 100 / this.validRows);
		}

	}

	/**
	 * Counts and problems of one pass over the file; also what the file itself repeats.
	 */
	private static final class Scan {

		int total;

		int valid;

		int invalid;

		int duplicates;

		int imported;

		int batches;

		final List<ImportRow.Issue> issues = new ArrayList<>();

		private final Set<String> phones = new HashSet<>();

		private final Set<String> emails = new HashSet<>();

		private final Set<String> people = new HashSet<>();

		/** Whether an earlier row of the file is the same person; remembers this one. */
		boolean seen(ImportRow row) {
			boolean seen = row.phones.stream().anyMatch(this.phones::contains)
					|| (row.email != null && this.emails.contains(row.email))
					|| (row.birthDate != null && this.people.contains(row.searchName() + "|" + row.birthDate));
			this.phones.addAll(row.phones);
			if (row.email != null) {
				this.emails.add(row.email);
			}
			if (row.birthDate != null) {
				this.people.add(row.searchName() + "|" + row.birthDate);
			}
			return seen;
		}

	}

	/** What the base already has, for one batch. */
	private static final class Known {

		final Set<String> phones = new HashSet<>();

		final Set<String> emails = new HashSet<>();

		final Set<String> people = new HashSet<>();

		boolean has(ImportRow row) {
			return row.phones.stream().anyMatch(this.phones::contains)
					|| (row.email != null && this.emails.contains(row.email))
					|| (row.birthDate != null && this.people.contains(row.searchName() + "|" + row.birthDate));
		}

	}

}
