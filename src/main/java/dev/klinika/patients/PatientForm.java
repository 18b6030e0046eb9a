package dev.klinika.patients;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.validation.BindingResult;

import dev.klinika.shared.FormChecks;
import dev.klinika.shared.PhoneNumber;

/**
 * The patient card form: up to three phones (the first is the main one), tags separated
 * by commas.
 */
class PatientForm {

	static final int MAX_TAGS = 20;

	@NotBlank(message = "{validation.required}")
	@Size(max = 100, message = "{validation.size.max}")
	private String surname = "";

	@NotBlank(message = "{validation.required}")
	@Size(max = 100, message = "{validation.size.max}")
	private String name = "";

	@Size(max = 100, message = "{validation.size.max}")
	private @Nullable String patronymic;

	private @Nullable Sex sex;

	@DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
	private @Nullable LocalDate birthDate;

	private @Nullable String phone1;

	private @Nullable String phone2;

	private @Nullable String phone3;

	@Email(message = "{validation.email}")
	@Size(max = 254, message = "{validation.size.max}")
	private @Nullable String email;

	@Size(max = 100, message = "{validation.size.max}")
	private @Nullable String telegram;

	@Size(max = 100, message = "{validation.size.max}")
	private @Nullable String whatsapp;

	@Size(max = 100, message = "{validation.size.max}")
	private @Nullable String viber;

	@Size(max = 100, message = "{validation.size.max}")
	private @Nullable String vk;

	private @Nullable Channel preferredChannel;

	private @Nullable String timeZone;

	private @Nullable Long sourceId;

	@Size(max = 1000, message = "{validation.size.max}")
	private @Nullable String tags;

	@Size(max = 4000, message = "{validation.size.max}")
	private @Nullable String notes;

	private @Nullable Long consultantId;

	@DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
	private @Nullable LocalDate nextContactOn;

	@NotNull(message = "{validation.required}")
	private @Nullable Long homeBranchId;

	private @Nullable Integer version;

	/** Set when the person saw the likely duplicates and chose to save anyway. */
	private boolean confirmDuplicate;

	static PatientForm of(Patient patient) {
		PatientForm form = new PatientForm();
		form.surname = patient.getSurname();
		form.name = patient.getName();
		form.patronymic = patient.getPatronymic();
		form.sex = patient.getSex();
		form.birthDate = patient.getBirthDate();
		List<PhoneNumber> phones = patient.getPhones();
		form.phone1 = phones.size() > 0 ? phones.get(0).display() : null;
		form.phone2 = phones.size() > 1 ? phones.get(1).display() : null;
		form.phone3 = phones.size() > 2 ? phones.get(2).display() : null;
		form.email = patient.getEmail();
		Map<Messenger, String> messengers = patient.getMessengers();
		form.telegram = messengers.get(Messenger.TELEGRAM);
		form.whatsapp = messengers.get(Messenger.WHATSAPP);
		form.viber = messengers.get(Messenger.VIBER);
		form.vk = messengers.get(Messenger.VK);
		form.preferredChannel = patient.getPreferredChannel();
		form.timeZone = patient.getZone().map(ZoneId::getId).orElse(null);
		form.sourceId = patient.getSourceId();
		form.tags = String.join(", ", patient.getTags());
		form.notes = patient.getNotes();
		form.consultantId = patient.getConsultantId();
		form.nextContactOn = patient.getNextContactOn();
		form.homeBranchId = patient.getHomeBranchId();
		form.version = patient.getVersion();
		return form;
	}

	/**
	 * The details, or field errors for phones, dates, zones and tags that do not make
	 * sense.
	 */
	@Nullable PatientDetails details(LocalDate today, BindingResult result) {
		List<PhoneNumber> phones = new ArrayList<>();
		for (String field : List.of("phone1", "phone2", "phone3")) {
			PhoneNumber phone = FormChecks.phone(typed(field), field, result);
			if (phone != null) {
				phones.add(phone);
			}
		}
		ZoneId zone = FormChecks.zone(this.timeZone, "timeZone", result);
		if (this.birthDate != null && (this.birthDate.isAfter(today) || this.birthDate.getYear() < 1900)) {
			result.rejectValue("birthDate", "validation.birthDate");
		}
		Set<String> tagSet = tagSet();
		if (tagSet.size() > MAX_TAGS || tagSet.stream().anyMatch(tag -> tag.length() > 50)) {
			result.rejectValue("tags", "validation.tags");
		}
		if (result.hasErrors()) {
			return null;
		}
		Map<Messenger, String> messengers = new EnumMap<>(Messenger.class);
		putIfPresent(messengers, Messenger.TELEGRAM, this.telegram);
		putIfPresent(messengers, Messenger.WHATSAPP, this.whatsapp);
		putIfPresent(messengers, Messenger.VIBER, this.viber);
		putIfPresent(messengers, Messenger.VK, this.vk);
		return new PatientDetails(this.surname, this.name, this.patronymic, this.sex, this.birthDate, phones,
				this.email, messengers, this.preferredChannel, zone, this.sourceId, tagSet, this.notes,
				this.consultantId, this.nextContactOn, this.homeBranchId);
	}

	Set<String> tagSet() {
		if (this.tags == null || this.tags.isBlank()) {
			return Set.of();
		}
		Set<String> set = new LinkedHashSet<>();
		Arrays.stream(this.tags.split("[,;]"))
			.map(tag -> tag.trim().toLowerCase(Locale.ROOT))
			.filter(tag -> !tag.isEmpty())
			.forEach(set::add);
		return set;
	}

	private @Nullable String typed(String field) {
		return switch (field) {
			case "phone1" -> this.phone1;
			case "phone2" -> this.phone2;
			default -> this.phone3;
		};
	}

	private static void putIfPresent(Map<Messenger, String> messengers, Messenger kind, @Nullable String handle) {
		if (handle != null && !handle.isBlank()) {
			messengers.put(kind, handle.trim());
		}
	}

	// Accessors for data binding.

	public String getSurname() {
		return this.surname;
	}

	public void setSurname(String surname) {
		this.surname = surname;
	}

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public @Nullable String getPatronymic() {
		return this.patronymic;
	}

	public void setPatronymic(@Nullable String patronymic) {
		this.patronymic = patronymic;
	}

	public @Nullable Sex getSex() {
		return this.sex;
	}

	public void setSex(@Nullable Sex sex) {
		this.sex = sex;
	}

	public @Nullable LocalDate getBirthDate() {
		return this.birthDate;
	}

	public void setBirthDate(@Nullable LocalDate birthDate) {
		this.birthDate = birthDate;
	}

	public @Nullable String getPhone1() {
		return this.phone1;
	}

	public void setPhone1(@Nullable String phone1) {
		this.phone1 = phone1;
	}

	public @Nullable String getPhone2() {
		return this.phone2;
	}

	public void setPhone2(@Nullable String phone2) {
		this.phone2 = phone2;
	}

	public @Nullable String getPhone3() {
		return this.phone3;
	}

	public void setPhone3(@Nullable String phone3) {
		this.phone3 = phone3;
	}

	public @Nullable String getEmail() {
		return this.email;
	}

	public void setEmail(@Nullable String email) {
		this.email = email;
	}

	public @Nullable String getTelegram() {
		return this.telegram;
	}

	public void setTelegram(@Nullable String telegram) {
		this.telegram = telegram;
	}

	public @Nullable String getWhatsapp() {
		return this.whatsapp;
	}

	public void setWhatsapp(@Nullable String whatsapp) {
		this.whatsapp = whatsapp;
	}

	public @Nullable String getViber() {
		return this.viber;
	}

	public void setViber(@Nullable String viber) {
		this.viber = viber;
	}

	public @Nullable String getVk() {
		return this.vk;
	}

	public void setVk(@Nullable String vk) {
		this.vk = vk;
	}

	public @Nullable Channel getPreferredChannel() {
		return this.preferredChannel;
	}

	public void setPreferredChannel(@Nullable Channel preferredChannel) {
		this.preferredChannel = preferredChannel;
	}

	public @Nullable String getTimeZone() {
		return this.timeZone;
	}

	public void setTimeZone(@Nullable String timeZone) {
		this.timeZone = timeZone;
	}

	public @Nullable Long getSourceId() {
		return this.sourceId;
	}

	public void setSourceId(@Nullable Long sourceId) {
		this.sourceId = sourceId;
	}

	public @Nullable String getTags() {
		return this.tags;
	}

	public void setTags(@Nullable String tags) {
		this.tags = tags;
	}

	public @Nullable String getNotes() {
		return this.notes;
	}

	public void setNotes(@Nullable String notes) {
		this.notes = notes;
	}

	public @Nullable Long getConsultantId() {
		return this.consultantId;
	}

	public void setConsultantId(@Nullable Long consultantId) {
		this.consultantId = consultantId;
	}

	public @Nullable LocalDate getNextContactOn() {
		return this.nextContactOn;
	}

	public void setNextContactOn(@Nullable LocalDate nextContactOn) {
		this.nextContactOn = nextContactOn;
	}

	public @Nullable Long getHomeBranchId() {
		return this.homeBranchId;
	}

	public void setHomeBranchId(@Nullable Long homeBranchId) {
		this.homeBranchId = homeBranchId;
	}

	public @Nullable Integer getVersion() {
		return this.version;
	}

	public void setVersion(@Nullable Integer version) {
		this.version = version;
	}

	public boolean isConfirmDuplicate() {
		return this.confirmDuplicate;
	}

	public void setConfirmDuplicate(boolean confirmDuplicate) {
		this.confirmDuplicate = confirmDuplicate;
	}

}
