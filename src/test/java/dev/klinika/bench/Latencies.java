package dev.klinika.bench;

import java.util.Arrays;
import java.util.Locale;

/** Nanosecond timings of one kind of operation and their percentiles in milliseconds. */
public final class Latencies {

	private final String name;

	private final long[] nanos;

	private int count;

	public Latencies(String name, int capacity) {
		this.name = name;
		this.nanos = new long[capacity];
	}

	/** One timing measured elsewhere (a step of several requests). */
	public void record(long nanos) {
		this.nanos[this.count++] = nanos;
	}

	public void time(Runnable operation) {
		long started = System.nanoTime();
		operation.run();
		this.nanos[this.count++] = System.nanoTime() - started;
	}

	public double percentile(double p) {
		long[] sorted = Arrays.copyOf(this.nanos, this.count);
		Arrays.sort(sorted);
		int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, index)] / 1_000_000.0;
	}

	public String row() {
		return String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f |", this.name, this.count,
				percentile(50), percentile(95), percentile(99), percentile(100));
	}

	public static String header() {
		return "| query | runs | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|";
	}

}
