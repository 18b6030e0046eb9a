package dev.klinika.patients;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Imports from real CSV and XLSX files: the dry run, valid rows only, twice, bad files;
 * export.
 */
@KlinikaTest
class PatientImportTests {

	@Autowired
	PatientImports imports;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Autowired
	UserDetailsService accounts;

	long branch;

	@BeforeEach
	void actAsOwner() {
		var owner = this.accounts.loadUserByUsername("owner");
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(owner, null, owner.getAuthorities()));
		this.branch = this.jdbc.sql("select min(id) from branch").query(Long.class).single();
	}

	@AfterEach
	void clear() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void refusesImpossibleDatesAndKeepsTheNotesColumn() throws Exception {
		String surname = "Примечаева" + UUID.randomUUID().toString().substring(0, 4);
		String csv = """
				ФИО;Телефон;Дата рождения;Примечание
				%s Анна;+79992224401;15.03.1980;Аллергия на лидокаин
				Февралёва Ольга;+79992224402;31.02.1999;
				Старикова Вера;+79992224403;1900-01-01;
				""".formatted(surname);
		UUID id = this.imports.upload("notes.csv", csv.getBytes(java.nio.charset.StandardCharsets.UTF_8), this.branch,
				null);
		var uploaded = this.imports.find(id).orElseThrow();
		assertThat(uploaded.mapping()).containsExactly(ImportField.FULL_NAME, ImportField.PHONE, ImportField.BIRTH_DATE,
				ImportField.NOTES);
		var checked = this.imports.check(id, uploaded.mapping());
		assertThat(checked.validRows()).isEqualTo(1);
		assertThat(this.imports.issues(id, 100)).extracting(ImportRow.Issue::row, ImportRow.Issue::reason)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(3, "BAD_DATE"),
					org.assertj.core.groups.Tuple.tuple(4, "IMPOSSIBLE_DATE"));
		this.imports.start(id, true);
		awaitDone(id);
		assertThat(this.jdbc.sql("select notes from patient where surname = :s")
			.param("s", surname)
			.query(String.class)
			.single()).isEqualTo("Аллергия на лидокаин");
		assertThat(count("select count(*) from patient where surname in ('Февралёва', 'Старикова')")).isZero();
	}

	@Test
	void checksImportsValidRowsOnlyWhenAskedAndTwiceAddsNothing() throws Exception {
		byte[] file = Files.readAllBytes(Path.of("src/test/resources/import/base-utf8.csv"));
		UUID id = this.imports.upload("base-utf8.csv", file, this.branch, null);
		var uploaded = this.imports.find(id).orElseThrow();
		assertThat(uploaded.format()).isEqualTo("CSV");
		assertThat(uploaded.separator()).isEqualTo(";");
		assertThat(uploaded.mapping()).containsExactly(ImportField.FULL_NAME, ImportField.PHONE, ImportField.BIRTH_DATE,
				ImportField.EMAIL, ImportField.SEX, ImportField.TAGS);

		var checked = this.imports.check(id, uploaded.mapping());
		assertThat(checked.totalRows()).isEqualTo(5);
		assertThat(checked.validRows()).isEqualTo(3);
		assertThat(checked.invalidRows()).isEqualTo(2);
		assertThat(this.imports.issues(id, 100)).extracting(ImportRow.Issue::row, ImportRow.Issue::reason)
			.contains(org.assertj.core.groups.Tuple.tuple(4, "MISSING_NAME"),
					org.assertj.core.groups.Tuple.tuple(5, "BAD_PHONE"));
		assertThat(count("select count(*) from patient where surname = 'Лоскутова'")).isZero();

		assertThatIllegalStateException().isThrownBy(() -> this.imports.start(id, false));
		this.imports.start(id, true);
		awaitDone(id);
		assertThat(this.imports.find(id).orElseThrow().importedRows()).isEqualTo(3);
		assertThat(this.jdbc
			.sql("""
					select p.surname || '|' || p.name || '|' || p.patronymic || '|' || p.birth_date || '|' || p.sex || '|' || ph.number
					  from patient p join patient_phone ph on ph.patient_id = p.id where p.surname = 'Кузовкина'
					""")
			.query(String.class)
			.single()).isEqualTo("Кузовкина|Зоя|Игоревна|1972-06-05|F|+79991112205");
		assertThat(count("""
				select count(*) from patient_tag t join patient p on p.id = t.patient_id
				 where p.surname = 'Лоскутова' and t.tag in ('vip', 'спина')
				""")).isEqualTo(2);
		assertThat(count("""
				select count(*) from patient_timeline t join patient p on p.id = t.patient_id
				 where p.surname = 'Горюнов' and t.kind = 'IMPORTED'
				""")).isEqualTo(1);

		UUID again = this.imports.upload("base-utf8.csv", file, this.branch, null);
		var second = this.imports.check(again, this.imports.find(again).orElseThrow().mapping());
		assertThat(second.validRows()).isZero();
		assertThat(second.duplicateRows()).isEqualTo(3);
		assertThat(count("select count(*) from patient where surname in ('Лоскутова', 'Горюнов', 'Кузовкина')"))
			.isEqualTo(3);
	}

	@Test
	void readsWindows1251WithCommas() throws Exception {
		byte[] file = Files.readAllBytes(Path.of("src/test/resources/import/base-cp1251.csv"));
		UUID id = this.imports.upload("base-cp1251.csv", file, this.branch, null);
		var uploaded = this.imports.find(id).orElseThrow();
		assertThat(uploaded.charset()).isEqualTo("windows-1251");
		assertThat(uploaded.separator()).isEqualTo(",");
		assertThat(uploaded.headers()).containsExactly("Фамилия", "Имя", "Отчество", "Телефон", "Дата рождения");
		var checked = this.imports.check(id, uploaded.mapping());
		assertThat(checked.validRows()).isEqualTo(2);
		this.imports.start(id, false);
		awaitDone(id);
		assertThat(count("select count(*) from patient where surname in ('Чернобровкина', 'Ёлкин')")).isEqualTo(2);
	}

	@Test
	void readsXlsxWithExcelDatesAndSkipsRowsRepeatedInTheFile() throws Exception {
		byte[] file = xlsx();
		UUID id = this.imports.upload("base.xlsx", file, this.branch, null);
		var uploaded = this.imports.find(id).orElseThrow();
		assertThat(uploaded.format()).isEqualTo("XLSX");
		var checked = this.imports.check(id, uploaded.mapping());
		assertThat(checked.totalRows()).isEqualTo(3);
		assertThat(checked.validRows()).isEqualTo(2);
		assertThat(checked.duplicateRows()).isEqualTo(1);
		this.imports.start(id, false);
		awaitDone(id);
		assertThat(this.jdbc.sql("select birth_date from patient where surname = 'Эксельная'")
			.query(LocalDate.class)
			.single()).isEqualTo(LocalDate.of(1979, 11, 23));
	}

	@Test
	void aHeaderMergedOverSeveralColumnsNamesEachOfThem() throws Exception {
		byte[] file;
		try (var workbook = new XSSFWorkbook(); var out = new ByteArrayOutputStream()) {
			var sheet = workbook.createSheet("Клиенты");
			var header = sheet.createRow(0);
			header.createCell(0).setCellValue("Фамилия");
			header.createCell(1).setCellValue("Имя");
			header.createCell(2).setCellValue("Телефон");
			sheet.addMergedRegion(new org.apache.poi.ss.util.CellRangeAddress(0, 0, 2, 3));
			var row = sheet.createRow(1);
			row.createCell(0).setCellValue("Объединённая");
			row.createCell(1).setCellValue("Ячейка");
			row.createCell(2).setCellValue("+7 916 700-11-22");
			row.createCell(3).setCellValue("+7 916 700-11-23");
			workbook.write(out);
			file = out.toByteArray();
		}
		UUID id = this.imports.upload("merged.xlsx", file, this.branch, null);
		var uploaded = this.imports.find(id).orElseThrow();
		assertThat(uploaded.headers()).containsExactly("Фамилия", "Имя", "Телефон", "Телефон");
		assertThat(uploaded.mapping()).containsExactly(ImportField.SURNAME, ImportField.NAME, ImportField.PHONE,
				ImportField.PHONE);
		assertThat(this.imports.check(id, uploaded.mapping()).validRows()).isEqualTo(1);
		this.imports.start(id, false);
		awaitDone(id);
		assertThat(this.jdbc.sql("""
				select ph.number from patient_phone ph join patient p on p.id = ph.patient_id
				 where p.surname = 'Объединённая' order by ph.number
				""").query(String.class).list()).containsExactly("+79167001122", "+79167001123");
	}

	@Test
	void refusesFilesThatAreNotTablesWithAReason() throws Exception {
		assertReason(new byte[0], "EMPTY");
		assertReason(new byte[] { (byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, 0, 0, 0, 0 }, "ENCRYPTED_OR_XLS");
		assertReason(Files.readAllBytes(Path.of("src/test/resources/import/no-names.csv")), "MISSING_COLUMNS");
		assertReason(zipBomb(), "ZIP_BOMB");
		assertReason("%PDF-1.4 \u0000\u0001 garbage".getBytes(), "MISSING_COLUMNS");
		assertThat(count("select count(*) from patient_import where file_name = 'bad'")).isZero();
	}

	@Test
	void uploadsThroughTheScreenAndRefusesAnotherBranch() throws Exception {
		byte[] file = Files.readAllBytes(Path.of("src/test/resources/import/base-cp1251.csv"));
		String location = this.mvc
			.perform(multipart("/patients/import").file(new MockMultipartFile("file", "clients.csv", "text/csv", file))
				.param("homeBranchId", String.valueOf(this.branch))
				.with(csrf())
				.with(this.logins.as("owner")))
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
		assertThat(location).matches("/patients/import/[0-9a-f-]{36}");
		this.mvc.perform(get(location).with(this.logins.as("owner")))
			.andExpect(content().string(containsString("Фамилия")))
			.andExpect(content().string(containsString("windows-1251")));
		long other = this.jdbc.sql("select max(id) from branch").query(Long.class).single();
		this.mvc
			.perform(multipart("/patients/import").file(new MockMultipartFile("file", "clients.csv", "text/csv", file))
				.param("homeBranchId", String.valueOf(other))
				.with(csrf())
				.with(this.logins.as("senior")))
			.andExpect(flash().attribute("flashErrorKey", "validation.unknown"));
		this.mvc
			.perform(multipart("/patients/import").file(new MockMultipartFile("file", "x.csv", "text/csv", new byte[0]))
				.param("homeBranchId", String.valueOf(this.branch))
				.with(csrf())
				.with(this.logins.as("owner")))
			.andExpect(flash().attribute("flashErrorKey", "import.error.EMPTY"));
		this.mvc.perform(get("/patients/import").with(this.logins.as("admin"))).andExpect(status().isForbidden());
	}

	@Test
	void exportsAListAsCsvAndXlsxAndAuditsIt() throws Exception {
		long before = count("select count(*) from audit_log where action = 'PATIENTS_EXPORTED'");
		new PatientFixtures(this.mvc, this.logins, this.jdbc).create("=Выгрузочная", "Тамара",
				"+7" + PatientCardTests.uniqueMobile());
		byte[] csv = this.mvc.perform(
				get("/patients/export").param("q", "=Выгрузочная").param("format", "csv").with(this.logins.as("owner")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsByteArray();
		String text = new String(csv, java.nio.charset.StandardCharsets.UTF_8);
		assertThat(text).startsWith("\uFEFF№ карточки;ФИО").contains("'=Выгрузочная Тамара");
		byte[] xlsx = this.mvc.perform(get("/patients/export").param("format", "xlsx").with(this.logins.as("owner")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsByteArray();
		try (var workbook = new XSSFWorkbook(new java.io.ByteArrayInputStream(xlsx))) {
			assertThat(workbook.getSheetAt(0).getLastRowNum()).isGreaterThanOrEqualTo(5000);
		}
		assertThat(count("select count(*) from audit_log where action = 'PATIENTS_EXPORTED'")).isEqualTo(before + 2);
		this.mvc.perform(get("/patients/export").with(this.logins.as("admin"))).andExpect(status().isForbidden());
	}

	private void assertReason(byte[] file, String reason) {
		assertThatThrownBy(() -> this.imports.upload("bad", file, this.branch, null))
			.isInstanceOf(TableReader.Unreadable.class)
			.hasMessage(reason);
	}

	private void awaitDone(UUID id) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		String status;
		do {
			Thread.sleep(50);
			status = this.jdbc.sql("select status from patient_import where id = :id")
				.param("id", id)
				.query(String.class)
				.single();
		}
		while ("IMPORTING".equals(status) && System.nanoTime() < deadline);
		assertThat(status).isEqualTo("DONE");
	}

	private long count(String sql) {
		return this.jdbc.sql(sql).query(Long.class).single();
	}

	/** A real XLSX: a header, a date cell in Excel's own format, a row repeated. */
	private static byte[] xlsx() throws Exception {
		try (var workbook = new XSSFWorkbook(); var out = new ByteArrayOutputStream()) {
			var sheet = workbook.createSheet("Клиенты");
			var dates = workbook.createCellStyle();
			dates.setDataFormat(workbook.getCreationHelper().createDataFormat().getFormat("dd.mm.yyyy"));
			String[] header = { "Фамилия", "Имя", "Мобильный телефон", "Дата рождения" };
			var head = sheet.createRow(0);
			for (int i = 0; i < header.length; i++) {
				head.createCell(i).setCellValue(header[i]);
			}
			Object[][] rows = { { "Эксельная", "Вера", "+7 999 555-00-01", LocalDate.of(1979, 11, 23) },
					{ "Таблицына", "Нина", "8 999 555 00 02", null },
					{ "Эксельная", "Вера", "+7 999 555-00-01", LocalDate.of(1979, 11, 23) } };
			for (int r = 0; r < rows.length; r++) {
				var row = sheet.createRow(r + 1);
				row.createCell(0).setCellValue((String) rows[r][0]);
				row.createCell(1).setCellValue((String) rows[r][1]);
				row.createCell(2).setCellValue((String) rows[r][2]);
				if (rows[r][3] != null) {
					var cell = row.createCell(3);
					cell.setCellValue((LocalDate) rows[r][3]);
					cell.setCellStyle(dates);
				}
			}
			workbook.write(out);
			return out.toByteArray();
		}
	}

	/** A zip whose one entry inflates a thousand times: POI refuses to read it. */
	private static byte[] zipBomb() throws Exception {
		var out = new ByteArrayOutputStream();
		try (var zip = new ZipOutputStream(out)) {
			zip.putNextEntry(new ZipEntry("xl/worksheets/sheet1.xml"));
			byte[] zeros = new byte[1024 * 1024];
			for (int i = 0; i < 20; i++) {
				zip.write(zeros);
			}
			zip.closeEntry();
		}
		return out.toByteArray();
	}

}
