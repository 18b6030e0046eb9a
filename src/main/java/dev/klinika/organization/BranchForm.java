package dev.klinika.organization;

import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.validation.BindingResult;

import dev.klinika.shared.PhoneNumber;

/** A branch's name, address, phone, time zone and its hours for each day of the week. */
class BranchForm {

	@NotBlank(message = "{validation.required}")
	@Size(max = 200, message = "{validation.size.max}")
	private String name = "";

	@NotBlank(message = "{validation.required}")
	@Size(max = 500, message = "{validation.size.max}")
	private String address = "";

	private @Nullable String phone;

	@NotBlank(message = "{validation.required}")
	private String timeZone = "Europe/Moscow";

	@Valid
	private List<DayHours> days = defaultDays();

	private @Nullable Integer version;

	static BranchForm of(Branch branch) {
		BranchForm form = new BranchForm();
		form.name = branch.getName();
		form.address = branch.getAddress();
		form.phone = branch.getPhone().map(PhoneNumber::display).orElse(null);
		form.timeZone = branch.getZone().getId();
		form.version = branch.getVersion();
		form.days = new ArrayList<>();
		for (int day = 1; day <= 7; day++) {
			DayHours hours = new DayHours();
			hours.setDay(day);
			branch.hoursOn(day).ifPresentOrElse(h -> {
				hours.setOpen(true);
				hours.setOpens(h.opens());
				hours.setCloses(h.closes());
			}, () -> hours.setOpen(false));
			form.days.add(hours);
		}
		return form;
	}

	/** The hours of the open days, or field errors where a day closes before it opens. */
	Set<WorkingHours> hours(BindingResult result) {
		Set<WorkingHours> hours = new HashSet<>();
		for (int i = 0; i < this.days.size() && i < 7; i++) {
			DayHours day = this.days.get(i);
			if (!day.isOpen()) {
				continue;
			}
			if (day.getOpens() == null || day.getCloses() == null) {
				result.rejectValue("days[" + i + "].opens", "validation.hours.missing");
			}
			else if (!day.getCloses().isAfter(day.getOpens())) {
				result.rejectValue("days[" + i + "].closes", "validation.hours.order");
			}
			else {
				hours.add(new WorkingHours(i + 1, day.getOpens(), day.getCloses()));
			}
		}
		return hours;
	}

	private static List<DayHours> defaultDays() {
		List<DayHours> days = new ArrayList<>();
		for (int day = 1; day <= 7; day++) {
			DayHours hours = new DayHours();
			hours.setDay(day);
			hours.setOpen(day <= 6);
			hours.setOpens(LocalTime.of(day == 6 ? 10 : 8, 0));
			hours.setCloses(LocalTime.of(day == 6 ? 18 : 21, 0));
			days.add(hours);
		}
		return days;
	}

	/** One row of the working-hours table. */
	public static class DayHours {

		private int day;

		private boolean open;

		private @Nullable LocalTime opens;

		private @Nullable LocalTime closes;

		public int getDay() {
			return this.day;
		}

		public void setDay(int day) {
			this.day = day;
		}

		public boolean isOpen() {
			return this.open;
		}

		public void setOpen(boolean open) {
			this.open = open;
		}

		public @Nullable LocalTime getOpens() {
			return this.opens;
		}

		public void setOpens(@Nullable LocalTime opens) {
			this.opens = opens;
		}

		public @Nullable LocalTime getCloses() {
			return this.closes;
		}

		public void setCloses(@Nullable LocalTime closes) {
			this.closes = closes;
		}

	}

	// Accessors for data binding.

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public String getAddress() {
		return this.address;
	}

	public void setAddress(String address) {
		this.address = address;
	}

	public @Nullable String getPhone() {
		return this.phone;
	}

	public void setPhone(@Nullable String phone) {
		this.phone = phone;
	}

	public String getTimeZone() {
		return this.timeZone;
	}

	public void setTimeZone(String timeZone) {
		this.timeZone = timeZone;
	}

	public List<DayHours> getDays() {
		return this.days;
	}

	public void setDays(List<DayHours> days) {
		this.days = days;
	}

	public @Nullable Integer getVersion() {
		return this.version;
	}

	public void setVersion(@Nullable Integer version) {
		this.version = version;
	}

}
