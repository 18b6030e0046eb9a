package dev.klinika.shared;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.jspecify.annotations.Nullable;

/**
 * A table sent as a download: CSV for Excel (UTF-8 with a BOM, ";") or XLSX, written row
 * by row (XLSX keeps 100 rows in memory and the rest in a temporary file). Text Excel
 * would run as a formula is written as text; numbers and amounts stay numbers in XLSX.
 */
public final class TableDownload implements Closeable {

	private final HttpServletResponse response;

	private final @Nullable CSVPrinter csv;

	private final @Nullable SXSSFWorkbook workbook;

	private final @Nullable SXSSFSheet sheet;

	private int rows;

	private TableDownload(HttpServletResponse response, boolean csv, String sheetName) throws IOException {
		this.response = response;
		if (csv) {
			OutputStream out = response.getOutputStream();
			out.write(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF });
			this.csv = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8),
					CSVFormat.DEFAULT.builder().setDelimiter(';').get());
			this.workbook = null;
			this.sheet = null;
		}
		else {
			this.csv = null;
			this.workbook = new SXSSFWorkbook(100);
			this.sheet = this.workbook.createSheet(sheetName);
		}
	}

	/**
	 * Starts the download: {@code format} "csv" is CSV, anything else XLSX; the file is
	 * {@code name} with the format's extension.
	 */
	public static TableDownload start(HttpServletResponse response, String name, String format, String sheetName,
			List<String> headers) throws IOException {
		boolean csv = "csv".equals(format);
		response.setContentType(
				csv ? "text/csv; charset=UTF-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
		response.setHeader("Content-Disposition", "attachment; filename=\"" + name + (csv ? ".csv" : ".xlsx") + "\"");
		TableDownload table = new TableDownload(response, csv, sheetName);
		table.row(List.copyOf(headers));
		return table;
	}

	/** One row: text, whole numbers, amounts ({@link Money} or BigDecimal), or empty. */
	public void row(List<? extends @Nullable Object> values) {
		try {
			if (this.csv != null) {
				this.csv.printRecord(values.stream().map(TableDownload::csvValue).toList());
			}
			else if (this.sheet != null) {
				Row row = this.sheet.createRow(this.rows);
				for (int i = 0; i < values.size(); i++) {
					Object value = values.get(i);
					if (value instanceof Money money) {
						row.createCell(i).setCellValue(money.amount().doubleValue());
					}
					else if (value instanceof BigDecimal number) {
						row.createCell(i).setCellValue(number.doubleValue());
					}
					else if (value instanceof Long || value instanceof Integer) {
						row.createCell(i).setCellValue(((Number) value).longValue());
					}
					else {
						row.createCell(i).setCellValue(text(value == null ? null : value.toString()));
					}
				}
			}
			this.rows++;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Rows written after the header. */
	public int count() {
		return this.rows - 1;
	}

	@Override
	public void close() throws IOException {
		if (this.csv != null) {
			this.csv.flush();
		}
		if (this.workbook != null) {
			try (SXSSFWorkbook book = this.workbook) {
				book.write(this.response.getOutputStream());
			}
		}
	}

	/** Text that Excel would run as a formula ("=HYPERLINK(...)") is written as text. */
	public static String text(@Nullable String value) {
		if (value == null) {
			return "";
		}
		return !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
	}

	private static String csvValue(@Nullable Object value) {
		if (value instanceof Money money) {
			return money.amount().toPlainString();
		}
		if (value instanceof BigDecimal || value instanceof Long || value instanceof Integer) {
			return value.toString();
		}
		return text(value == null ? null : value.toString());
	}

}
