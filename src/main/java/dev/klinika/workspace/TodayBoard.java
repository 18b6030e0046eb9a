package dev.klinika.workspace;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

import dev.klinika.leads.LeadChannel;
import dev.klinika.leads.LeadQueries;
import dev.klinika.leads.LeadReport;
import dev.klinika.messaging.Inbox;
import dev.klinika.organization.OrganizationQueries;
import dev.klinika.organization.OrganizationQueries.BranchOption;
import dev.klinika.scheduling.AppointmentStatus;
import dev.klinika.scheduling.TodayVisits;
import dev.klinika.scheduling.TodayVisits.Visit;
import dev.klinika.security.BranchScope;
import dev.klinika.security.KlinikaUser;
import dev.klinika.tasks.TaskQueries;
import dev.klinika.telephony.CallStats;
import dev.klinika.telephony.CallerCard;

/**
 * What each role's home page puts first: the reception's day by status with what to do
 * now, the doctor's own patients, the consultant's patients due today, the network's day
 * beside yesterday and the same weekday last week, the marketer's week by source.
 */
@Component
class TodayBoard {

	/** How many rows each of the home page's short lists shows before "all". */
	static final int SHORT_LIST = 8;

	private final TodayVisits visits;

	private final CallerCard calls;

	private final CallStats callStats;

	private final Inbox inbox;

	private final LeadQueries leads;

	private final LeadReport leadReport;

	private final TaskQueries tasks;

	private final OrganizationQueries organization;

	private final Clock clock;

	private final org.springframework.context.MessageSource messages;

	private final dev.klinika.billing.VisitBills bills;

	TodayBoard(TodayVisits visits, CallerCard calls, CallStats callStats, Inbox inbox, LeadQueries leads,
			LeadReport leadReport, TaskQueries tasks, OrganizationQueries organization, Clock clock,
			org.springframework.context.MessageSource messages, dev.klinika.billing.VisitBills bills) {
		this.bills = bills;
		this.messages = messages;
		this.visits = visits;
		this.calls = calls;
		this.callStats = callStats;
		this.inbox = inbox;
		this.leads = leads;
		this.leadReport = leadReport;
		this.tasks = tasks;
		this.organization = organization;
		this.clock = clock;
	}

	/** The reception's day in groups, in the order a receptionist works them. */
	public enum Group {

		LATE, EXPECTED, ARRIVED, IN_CHAIR, DONE, NO_SHOW

	}

	/**
	 * The reception's day: today's visits of the working branches by group, and the open
	 * ends to work through (calls to return, leads waiting, replies, tomorrow to
	 * confirm).
	 */
	void reception(Model model, BranchScope scope) {
		var now = this.visits.now();
		Map<Group, List<Visit>> groups = new LinkedHashMap<>();
		for (Group group : Group.values()) {
			groups.put(group, new ArrayList<>());
		}
		for (Visit visit : this.visits.of(scope, null, 0)) {
			groups.get(group(visit, now)).add(visit);
		}
		model.addAttribute("todayGroups", groups);
		model.addAttribute("shortList", SHORT_LIST);
		model.addAttribute("todayTotal", groups.values().stream().mapToInt(List::size).sum());
		model.addAttribute("callsToReturn", this.calls.latest(true, scope, 0, SHORT_LIST).rows());
		model.addAttribute("leadsWaiting", this.leads.waiting(scope, SHORT_LIST));
		model.addAttribute("repliesWaiting", this.inbox.latest(true, scope, SHORT_LIST));
		model.addAttribute("tomorrowToConfirm",
				this.visits.of(scope, null, 1).stream().filter(v -> v.status() == AppointmentStatus.BOOKED).toList());
		// Patients who reached the doctor past the cash desk, each branch on its own day.
		model.addAttribute("unbilledToday",
				this.organization.branchOptions(scope)
					.stream()
					.mapToInt(branch -> this.bills.unbilledCount(branch.id(),
							LocalDate.now(this.clock.withZone(branch.zone())), branch.zone()))
					.sum());
		model.addAttribute("now", now);
	}

	static Group group(Visit visit, java.time.OffsetDateTime now) {
		return switch (visit.status()) {
			case BOOKED, CONFIRMED -> visit.lateAt(now) ? Group.LATE : Group.EXPECTED;
			case CHECKED_IN -> Group.ARRIVED;
			case IN_PROGRESS -> Group.IN_CHAIR;
			case COMPLETED -> Group.DONE;
			case NO_SHOW, CANCELLED -> Group.NO_SHOW;
		};
	}

	/** The doctor's own day in order and the week ahead, in every branch they work in. */
	void doctor(Model model, KlinikaUser me) {
		Long staff = me.staffId();
		if (staff == null) {
			return;
		}
		BranchScope everywhere = BranchScope.everything();
		model.addAttribute("myDay", this.visits.of(everywhere, staff, 0));
		List<Visit> week = this.visits.days(everywhere, staff, 1, 6);
		model.addAttribute("myWeek", week.stream()
			.collect(Collectors.groupingBy(Visit::day, java.util.TreeMap::new, Collectors.counting())));
		model.addAttribute("now", this.visits.now());
	}

	/** The consultant's patients with a task of theirs due by the end of today. */
	void consultant(Model model, KlinikaUser me) {
		ZoneId zone = this.clock.getZone();
		Instant endOfDay = LocalDate.now(this.clock).plusDays(1).atStartOfDay(zone).toInstant();
		model.addAttribute("dueToday", this.tasks.mineDueBefore(me, endOfDay, 30));
		model.addAttribute("dueNow", this.clock.instant());
	}

	/** One figure today, yesterday and on the same weekday last week. */
	public record Trio(int today, int yesterday, int lastWeek) {

		/** From a figure by index of the days today, yesterday and a week ago. */
		static Trio of(IntFunction<Integer> byIndex) {
			return new Trio(byIndex.apply(0), byIndex.apply(1), byIndex.apply(2));
		}

		Trio plus(Trio other) {
			return new Trio(this.today + other.today, this.yesterday + other.yesterday, this.lastWeek + other.lastWeek);
		}

	}

	/** A branch's day in the owner's table. */
	public record BranchDay(String branch, Trio planned, Trio came, Trio noShow, Trio missedCalls, Trio lateLeads,
			boolean total) {

		BranchDay plus(BranchDay other) {
			return new BranchDay(this.branch, this.planned.plus(other.planned), this.came.plus(other.came),
					this.noShow.plus(other.noShow), this.missedCalls.plus(other.missedCalls),
					this.lateLeads.plus(other.lateLeads), true);
		}

		/** The columns in the table's order. */
		public List<Trio> figures() {
			return List.of(this.planned, this.came, this.noShow, this.missedCalls, this.lateLeads);
		}

	}

	/**
	 * Today across the working branches: visits planned, came and missed, calls missed
	 * and leads answered late, each beside yesterday and the same weekday last week.
	 */
	void network(Model model, BranchScope scope) {
		long main = this.organization.mainBranch().orElse(0L);
		Instant now = this.clock.instant();
		int[] offsets = { 0, -1, -7 };
		List<Map<Long, TodayVisits.Figures>> figures = new ArrayList<>();
		List<Map<Long, Integer>> missed = new ArrayList<>();
		List<Map<Long, Integer>> late = new ArrayList<>();
		for (int offset : offsets) {
			figures.add(this.visits.figures(scope, offset)
				.stream()
				.collect(Collectors.toMap(TodayVisits.Figures::branchId, Function.identity())));
			var days = this.visits.days(scope, offset, 1);
			missed.add(this.callStats.missedPerBranch(days, main));
			late.add(this.leadReport.latePerBranch(days, main, now));
		}
		List<BranchDay> rows = new ArrayList<>();
		for (BranchOption branch : this.organization.branchOptions(scope)) {
			long id = branch.id();
			IntFunction<TodayVisits.Figures> day = i -> figures.get(i)
				.getOrDefault(id, new TodayVisits.Figures(id, 0, 0, 0, 0));
			rows.add(new BranchDay(branch.name(), trio(i -> day.apply(i).planned()), trio(i -> day.apply(i).came()),
					trio(i -> day.apply(i).noShow()), trio(i -> missed.get(i).getOrDefault(id, 0)),
					trio(i -> late.get(i).getOrDefault(id, 0)), false));
		}
		if (rows.size() > 1) {
			rows.add(rows.stream().reduce(BranchDay::plus).orElseThrow());
		}
		model.addAttribute("networkDays", rows);
		LocalDate today = LocalDate.now(this.clock);
		model.addAttribute("lastWeekDay", today.minusDays(7));
	}

	private static Trio trio(IntFunction<Integer> byIndex) {
		return Trio.of(byIndex);
	}

	/**
	 * The marketer's week so far: leads and first visits per source, leads per channel.
	 */
	void marketer(Model model, BranchScope scope) {
		ZoneId zone = this.clock.getZone();
		// The last seven days with today, so that a Monday morning is not empty.
		ZonedDateTime weekStart = LocalDate.now(this.clock).minusDays(6).atStartOfDay(zone);
		Instant from = weekStart.toInstant();
		Instant to = weekStart.plusWeeks(1).toInstant();
		// A lead or card with no source is counted under one label, not under its
		// channel's code.
		String none = this.messages.getMessage("home.noSource", null,
				org.springframework.context.i18n.LocaleContextHolder.getLocale());
		Map<String, Integer> leadsBySource = new LinkedHashMap<>();
		for (LeadReport.Source source : this.leadReport.perSource(from, to, scope)) {
			String name = source.channel() != null ? none : source.source();
			leadsBySource.merge(name, source.leads(), Integer::sum);
		}
		Map<String, Integer> firstVisits = new LinkedHashMap<>();
		this.visits.firstVisitsPerSource(from, to, scope)
			.forEach((source, count) -> firstVisits.merge(source == null ? none : source, count, Integer::sum));
		List<String> sources = new ArrayList<>(leadsBySource.keySet());
		firstVisits.keySet().stream().filter(s -> !leadsBySource.containsKey(s)).forEach(sources::add);
		model.addAttribute("weekFrom", weekStart.toLocalDate());
		model.addAttribute("weekSources", sources);
		model.addAttribute("weekLeads", sources.stream().map(s -> leadsBySource.getOrDefault(s, 0)).toList());
		model.addAttribute("weekFirstVisits", sources.stream().map(s -> firstVisits.getOrDefault(s, 0)).toList());
		Map<LeadChannel, Integer> channels = this.leadReport.perChannel(from, to, scope);
		model.addAttribute("weekChannels", channels);
	}

}
