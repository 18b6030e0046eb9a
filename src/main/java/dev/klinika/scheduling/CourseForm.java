package dev.klinika.scheduling;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.format.annotation.DateTimeFormat;

/**
 * A course as the form sends it: patient, service, specialist or anyone, days, time,
 * count.
 */
class CourseForm {

	private @Nullable Long patient;

	private @Nullable Long service;

	private @Nullable Long staff;

	@DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
	private @Nullable LocalDate firstDay;

	@DateTimeFormat(iso = DateTimeFormat.ISO.TIME)
	private @Nullable LocalTime time;

	private Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);

	private int sessions = 10;

	/** The message key of what is missing, or null. */
	@Nullable String missing() {
		if (this.patient == null) {
			return "book.choosePatient";
		}
		if (this.service == null) {
			return "book.chooseService";
		}
		if (this.firstDay == null || this.time == null || this.days.isEmpty()) {
			return "booking.refused.COURSE";
		}
		return null;
	}

	Courses.Request request(long branch) {
		return new Courses.Request(this.patient, this.service, branch, this.staff, this.firstDay, this.days, this.time,
				this.sessions);
	}

	// Accessors for data binding.

	public @Nullable Long getPatient() {
		return this.patient;
	}

	public void setPatient(@Nullable Long patient) {
		this.patient = patient;
	}

	public @Nullable Long getService() {
		return this.service;
	}

	public void setService(@Nullable Long service) {
		this.service = service;
	}

	public @Nullable Long getStaff() {
		return this.staff;
	}

	public void setStaff(@Nullable Long staff) {
		this.staff = staff;
	}

	public @Nullable LocalDate getFirstDay() {
		return this.firstDay;
	}

	public void setFirstDay(@Nullable LocalDate firstDay) {
		this.firstDay = firstDay;
	}

	public @Nullable LocalTime getTime() {
		return this.time;
	}

	public void setTime(@Nullable LocalTime time) {
		this.time = time;
	}

	public Set<DayOfWeek> getDays() {
		return this.days;
	}

	public void setDays(Set<DayOfWeek> days) {
		this.days = days == null ? EnumSet.noneOf(DayOfWeek.class) : days;
	}

	public int getSessions() {
		return this.sessions;
	}

	public void setSessions(int sessions) {
		this.sessions = sessions;
	}

}
