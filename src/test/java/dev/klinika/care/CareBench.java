package dev.klinika.care;

import java.time.LocalDate;
import java.time.ZoneId;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.klinika.security.BranchScope;

/**
 * What the care benchmark calls: the consultant's list with its counts, the report and a
 * stall run, as the screens and the job call them.
 */
@Component
public class CareBench {

	private final PathwayList list;

	private final PathwayReport report;

	private final PathwayProgress progress;

	CareBench(PathwayList list, PathwayReport report, PathwayProgress progress) {
		this.list = list;
		this.report = report;
		this.progress = progress;
	}

	/** A page of the list and the tabs' counts; how many rows the page has. */
	public int list(@Nullable String status, @Nullable Long consultant, BranchScope scope) {
		int rows = this.list.rows(new PathwayList.Filter(status, consultant, 0), scope).size();
		this.list.counts(consultant, scope);
		return Math.min(rows, PathwayList.PAGE);
	}

	public void report(LocalDate from, LocalDate to, ZoneId zone, String by, BranchScope scope) {
		this.report.report(from, to, zone, PathwayReport.By.of(by), scope);
	}

	/** One run of the stall watch; how many it stalled. */
	public int stalls() {
		return this.progress.stalls().stalled();
	}

}
