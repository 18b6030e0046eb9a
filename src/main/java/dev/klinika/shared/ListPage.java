package dev.klinika.shared;

import java.util.List;

/**
 * One page of a long list, as staff page through it: its rows, how many there are in all
 * (counted up to {@link #COUNT_CAP}: "more than 10,000" is all a person needs), and which
 * page this is.
 */
public record ListPage<T>(List<T> rows, long total, int number, int size) {

	/** Counting stops here. */
	public static final int COUNT_CAP = 10_000;

	/** The most pages anyone is let to go ahead (a bounded offset). */
	public static final int MAX_PAGE = 1_000;

	public ListPage {
		rows = List.copyOf(rows);
	}

	/**
	 * A page of rows read with {@link #offset}, counted by {@code countAll} only when the
	 * rows alone do not tell (a short first page is all there is).
	 */
	public static <T> ListPage<T> of(List<T> rows, int number, int size, java.util.function.LongSupplier countAll) {
		long total = number == 0 && rows.size() < size ? rows.size() : countAll.getAsLong();
		return new ListPage<>(rows, total, number, size);
	}

	/**
	 * A count that stops after {@link #COUNT_CAP} rows, of {@code selectFrom}: a query
	 * such as "select 1 from the_list t where …".
	 */
	public static String cappedCount(String selectFrom) {
		return "select count(*) from (" + selectFrom + " limit " + (COUNT_CAP + 1) + ") capped";
	}

	/** A page number from a request, kept within 0 and {@link #MAX_PAGE}. */
	public static int number(int requested) {
		return Math.max(0, Math.min(requested, MAX_PAGE));
	}

	/** The SQL offset of a page. */
	public static long offset(int number, int size) {
		return (long) number * size;
	}

	/** Number (from 1) of the first row shown. */
	public long from() {
		return this.rows.isEmpty() ? 0 : offset(this.number, this.size) + 1;
	}

	/** Number of the last row shown. */
	public long to() {
		return offset(this.number, this.size) + this.rows.size();
	}

	/** The count's cap, for "more than …". */
	public int cap() {
		return COUNT_CAP;
	}

	public boolean capped() {
		return this.total > COUNT_CAP;
	}

	public boolean hasPrevious() {
		return this.number > 0;
	}

	public boolean hasNext() {
		return this.total > to() && this.number < MAX_PAGE;
	}

	public boolean isEmpty() {
		return this.rows.isEmpty();
	}

}
