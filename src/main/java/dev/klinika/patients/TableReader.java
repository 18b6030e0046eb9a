package dev.klinika.patients;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ooxml.util.SAXHelper;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.jspecify.annotations.Nullable;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

/**
 * Reads a table row by row without holding it whole: CSV in UTF-8 or Windows-1251 with
 * ";", "," or tab, and the first sheet of an XLSX through POI's streaming reader (with
 * its zip-bomb guard). Excel dates arrive as ISO dates.
 */
final class TableReader {

	/**
	 * The first bytes of an XLSX (a zip) and of an OLE2 file (old .xls, or an encrypted
	 * .xlsx).
	 */
	private static final byte[] ZIP = { 0x50, 0x4B, 0x03, 0x04 };

	private static final byte[] OLE2 = { (byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0 };

	private static final Charset WINDOWS_1251 = Charset.forName("windows-1251");

	private TableReader() {
	}

	/** Takes one row: its number in the file (1 = the header) and its cells. */
	interface Rows {

		void row(int number, List<String> cells);

	}

	/** How a file was read. */
	record Format(String kind, @Nullable String charset, @Nullable Character separator) {
	}

	/** Thrown by a {@link Rows} to stop reading early: it is passed through untouched. */
	static final class Stop extends RuntimeException {

		Stop() {
			super(null, null, false, false);
		}

	}

	/** The reason a file cannot be read as a table, for the person who uploaded it. */
	static final class Unreadable extends RuntimeException {

		private final String reason;

		Unreadable(String reason, @Nullable Throwable cause) {
			super(reason, cause);
			this.reason = reason;
		}

		String reason() {
			return this.reason;
		}

	}

	static Format detect(byte[] content) {
		if (content.length == 0) {
			throw new Unreadable("EMPTY", null);
		}
		if (startsWith(content, OLE2)) {
			throw new Unreadable("ENCRYPTED_OR_XLS", null);
		}
		if (startsWith(content, ZIP)) {
			return new Format("XLSX", null, null);
		}
		Charset charset = charset(content);
		String text = new String(content, 0, Math.min(content.length, 64 * 1024), charset);
		String firstLine = text.lines().findFirst().orElse("");
		char separator = ';';
		long best = firstLine.chars().filter(c -> c == ';').count();
		for (char candidate : new char[] { '\t', ',' }) {
			long count = firstLine.chars().filter(c -> c == candidate).count();
			if (count > best) {
				best = count;
				separator = candidate;
			}
		}
		return new Format("CSV", charset.name(), separator);
	}

	static void read(byte[] content, Format format, Rows rows) {
		if ("XLSX".equals(format.kind())) {
			readXlsx(content, rows);
		}
		else {
			readCsv(content, Charset.forName(format.charset()), format.separator(), rows);
		}
	}

	private static void readCsv(byte[] content, Charset charset, char separator, Rows rows) {
		CSVFormat csv = CSVFormat.DEFAULT.builder()
			.setDelimiter(separator)
			.setIgnoreEmptyLines(true)
			.setTrim(true)
			.setIgnoreSurroundingSpaces(true)
			.get();
		try (Reader reader = new InputStreamReader(skipBom(new ByteArrayInputStream(content)), charset);
				CSVParser parser = csv.parse(reader)) {
			int number = 0;
			for (CSVRecord record : parser) {
				number++;
				rows.row(number, record.toList());
			}
		}
		catch (IOException | java.io.UncheckedIOException ex) {
			throw new Unreadable("NOT_A_TABLE", ex);
		}
	}

	private static void readXlsx(byte[] content, Rows rows) {
		try (OPCPackage pkg = OPCPackage.open(new ByteArrayInputStream(content))) {
			XSSFReader reader = new XSSFReader(pkg);
			var sheets = reader.getSheetsData();
			if (!sheets.hasNext()) {
				throw new Unreadable("EMPTY", null);
			}
			// Merged cells are listed after the rows: read them first, so that a header
			// merged over several columns names each of them.
			List<org.apache.poi.ss.util.CellRangeAddress> merged = new ArrayList<>();
			XMLReader ranges = SAXHelper.newXMLReader();
			ranges.setContentHandler(new org.xml.sax.helpers.DefaultHandler() {
				@Override
				public void startElement(String uri, String local, String name, org.xml.sax.Attributes attributes) {
					if ("mergeCell".equals(local) && attributes.getValue("ref") != null) {
						merged.add(org.apache.poi.ss.util.CellRangeAddress.valueOf(attributes.getValue("ref")));
					}
				}
			});
			try (InputStream sheet = sheets.next()) {
				ranges.parse(new InputSource(sheet));
			}
			XMLReader parser = SAXHelper.newXMLReader();
			parser.setContentHandler(new XSSFSheetXMLHandler(reader.getStylesTable(), null,
					new ReadOnlySharedStringsTable(pkg), new SheetRows(rows, merged), new IsoDates(), false));
			try (InputStream sheet = reader.getSheetsData().next()) {
				parser.parse(new InputSource(sheet));
			}
		}
		catch (Unreadable | Stop ex) {
			throw ex;
		}
		catch (Exception ex) {
			String message = String.valueOf(ex.getMessage()).toLowerCase();
			throw new Unreadable(message.contains("zip bomb") || message.contains("ratio") ? "ZIP_BOMB" : "NOT_A_TABLE",
					ex);
		}
	}

	/**
	 * UTF-8 when the bytes are valid UTF-8 (most files saved today), else Windows-1251
	 * (old Excel CSV).
	 */
	static Charset charset(byte[] content) {
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(content));
			return StandardCharsets.UTF_8;
		}
		catch (CharacterCodingException ex) {
			return WINDOWS_1251;
		}
	}

	private static InputStream skipBom(InputStream in) throws IOException {
		in.mark(3);
		byte[] head = in.readNBytes(3);
		if (head.length < 3 || (head[0] & 0xFF) != 0xEF || (head[1] & 0xFF) != 0xBB || (head[2] & 0xFF) != 0xBF) {
			in.reset();
		}
		return in;
	}

	private static boolean startsWith(byte[] content, byte[] magic) {
		if (content.length < magic.length) {
			return false;
		}
		for (int i = 0; i < magic.length; i++) {
			if (content[i] != magic[i]) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Collects a sheet's cells into rows, filling skipped empty cells; every cell of a
	 * merged range reads as its first cell (Excel keeps the text there only).
	 */
	private static final class SheetRows implements XSSFSheetXMLHandler.SheetContentsHandler {

		private final Rows rows;

		private final List<String> cells = new ArrayList<>();

		private final List<org.apache.poi.ss.util.CellRangeAddress> merged;

		private final java.util.Map<org.apache.poi.ss.util.CellRangeAddress, String> mergedText = new java.util.HashMap<>();

		SheetRows(Rows rows, List<org.apache.poi.ss.util.CellRangeAddress> merged) {
			this.rows = rows;
			this.merged = merged;
		}

		@Override
		public void startRow(int rowNum) {
			this.cells.clear();
		}

		@Override
		public void endRow(int rowNum) {
			for (org.apache.poi.ss.util.CellRangeAddress range : this.merged) {
				if (rowNum < range.getFirstRow() || rowNum > range.getLastRow()) {
					continue;
				}
				if (rowNum == range.getFirstRow()) {
					int first = range.getFirstColumn();
					this.mergedText.put(range, first < this.cells.size() ? this.cells.get(first) : "");
				}
				String text = this.mergedText.getOrDefault(range, "");
				for (int column = range.getFirstColumn(); column <= range.getLastColumn()
						&& column < 16_384; column++) {
					while (this.cells.size() <= column) {
						this.cells.add("");
					}
					if (this.cells.get(column).isEmpty()) {
						this.cells.set(column, text);
					}
				}
			}
			if (this.cells.stream().anyMatch(cell -> !cell.isBlank())) {
				this.rows.row(rowNum + 1, List.copyOf(this.cells));
			}
		}

		@Override
		public void cell(String reference, String value, XSSFComment comment) {
			int column = reference == null ? this.cells.size() : new CellReference(reference).getCol();
			while (this.cells.size() < column) {
				this.cells.add("");
			}
			this.cells.add(value == null ? "" : value.trim());
		}

	}

	/**
	 * Formats Excel's date cells as ISO dates, whatever format the sheet shows them in.
	 */
	private static final class IsoDates extends DataFormatter {

		@Override
		public String formatRawCellContents(double value, int formatIndex, String formatString) {
			if (DateUtil.isADateFormat(formatIndex, formatString) && DateUtil.isValidExcelDate(value)) {
				LocalDate date = DateUtil.getLocalDateTime(value).toLocalDate();
				return date.toString();
			}
			return super.formatRawCellContents(value, formatIndex, formatString);
		}

	}

}
