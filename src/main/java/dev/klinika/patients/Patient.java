package dev.klinika.patients;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.ReadOnlyProperty;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;

import dev.klinika.shared.PhoneNumber;

/** A patient's card: who they are and how to reach them. No diagnoses, ever. */
public class Patient {

	private @Id @Nullable Long id;

	private String surname;

	private String name;

	private @Nullable String patronymic;

	private @Nullable Sex sex;

	private @Nullable LocalDate birthDate;

	private @Nullable String email;

	private @Nullable Channel preferredChannel;

	private @Nullable String timeZone;

	private @Nullable Long sourceId;

	private @Nullable String notes;

	private @Nullable Long consultantId;

	private @Nullable LocalDate nextContactOn;

	private Long homeBranchId;

	private @Nullable Long mergedInto;

	private @Nullable Instant erasedAt;

	private @Nullable String createdBy;

	@ReadOnlyProperty
	private @Nullable Instant createdAt;

	private @Version @Nullable Integer version;

	@MappedCollection(idColumn = "patient_id")
	private Set<Phone> phones;

	@MappedCollection(idColumn = "patient_id")
	private Set<MessengerHandle> messengers;

	@MappedCollection(idColumn = "patient_id")
	private Set<Tag> tags;

	@PersistenceCreator
	Patient(@Nullable Long id, String surname, String name, @Nullable String patronymic, @Nullable Sex sex,
			@Nullable LocalDate birthDate, @Nullable String email, @Nullable Channel preferredChannel,
			@Nullable String timeZone, @Nullable Long sourceId, @Nullable String notes, @Nullable Long consultantId,
			@Nullable LocalDate nextContactOn, Long homeBranchId, @Nullable Long mergedInto, @Nullable Instant erasedAt,
			@Nullable String createdBy, @Nullable Instant createdAt, @Nullable Integer version, Set<Phone> phones,
			Set<MessengerHandle> messengers, Set<Tag> tags) {
		this.id = id;
		this.surname = surname;
		this.name = name;
		this.patronymic = patronymic;
		this.sex = sex;
		this.birthDate = birthDate;
		this.email = email;
		this.preferredChannel = preferredChannel;
		this.timeZone = timeZone;
		this.sourceId = sourceId;
		this.notes = notes;
		this.consultantId = consultantId;
		this.nextContactOn = nextContactOn;
		this.homeBranchId = homeBranchId;
		this.mergedInto = mergedInto;
		this.erasedAt = erasedAt;
		this.createdBy = createdBy;
		this.createdAt = createdAt;
		this.version = version;
		this.phones = phones;
		this.messengers = messengers;
		this.tags = tags;
	}

	Patient(PatientDetails details, @Nullable String createdBy) {
		this(null, details.surname(), details.name(), null, null, null, null, null, null, null, null, null, null,
				details.homeBranchId(), null, null, createdBy, null, null, Set.of(), Set.of(), Set.of());
		describe(details);
	}

	public @Nullable Long getId() {
		return this.id;
	}

	public String getSurname() {
		return this.surname;
	}

	public String getName() {
		return this.name;
	}

	public @Nullable String getPatronymic() {
		return this.patronymic;
	}

	public dev.klinika.shared.PersonName personName() {
		return new dev.klinika.shared.PersonName(this.surname, this.name, this.patronymic);
	}

	/** "Иванова Мария Петровна". */
	public String getFullName() {
		return personName().full();
	}

	public @Nullable Sex getSex() {
		return this.sex;
	}

	public @Nullable LocalDate getBirthDate() {
		return this.birthDate;
	}

	/** Full years on a day, if the birth date is known. */
	public Optional<Integer> ageOn(LocalDate day) {
		return Optional.ofNullable(this.birthDate).map(birth -> Period.between(birth, day).getYears());
	}

	public @Nullable String getEmail() {
		return this.email;
	}

	public @Nullable Channel getPreferredChannel() {
		return this.preferredChannel;
	}

	public Optional<ZoneId> getZone() {
		return Optional.ofNullable(this.timeZone).map(ZoneId::of);
	}

	public @Nullable Long getSourceId() {
		return this.sourceId;
	}

	public @Nullable String getNotes() {
		return this.notes;
	}

	public @Nullable Long getConsultantId() {
		return this.consultantId;
	}

	public @Nullable LocalDate getNextContactOn() {
		return this.nextContactOn;
	}

	public Long getHomeBranchId() {
		return this.homeBranchId;
	}

	/** The card this one was merged into; a merged card is a tombstone. */
	public @Nullable Long getMergedInto() {
		return this.mergedInto;
	}

	public boolean isErased() {
		return this.erasedAt != null;
	}

	public @Nullable String getCreatedBy() {
		return this.createdBy;
	}

	public @Nullable Instant getCreatedAt() {
		return this.createdAt;
	}

	public @Nullable Integer getVersion() {
		return this.version;
	}

	/** Phones with the main one first. */
	public List<PhoneNumber> getPhones() {
		return this.phones.stream()
			.sorted(Comparator.comparing(Phone::main).reversed().thenComparing(Phone::number))
			.map(phone -> new PhoneNumber(phone.number()))
			.toList();
	}

	public Optional<PhoneNumber> getMainPhone() {
		return getPhones().stream().findFirst();
	}

	public Map<Messenger, String> getMessengers() {
		Map<Messenger, String> handles = new EnumMap<>(Messenger.class);
		this.messengers.forEach(handle -> handles.put(handle.kind(), handle.handle()));
		return handles;
	}

	public Set<String> getTags() {
		return this.tags.stream().map(Tag::tag).sorted().collect(Collectors.toCollection(LinkedHashSet::new));
	}

	/** Everything a form edits at once; the first phone is the main one. */
	PatientDetails details() {
		return new PatientDetails(this.surname, this.name, this.patronymic, this.sex, this.birthDate, getPhones(),
				this.email, getMessengers(), this.preferredChannel,
				this.timeZone == null ? null : ZoneId.of(this.timeZone), this.sourceId, getTags(), this.notes,
				this.consultantId, this.nextContactOn, this.homeBranchId);
	}

	void describe(PatientDetails details) {
		if (details.surname().isBlank() || details.name().isBlank()) {
			throw new IllegalArgumentException("A patient needs a surname and a name");
		}
		this.surname = details.surname().trim();
		this.name = details.name().trim();
		this.patronymic = blankToNull(details.patronymic());
		this.sex = details.sex();
		this.birthDate = details.birthDate();
		this.email = blankToNull(details.email());
		this.preferredChannel = details.preferredChannel();
		this.timeZone = details.zone() == null ? null : details.zone().getId();
		this.sourceId = details.sourceId();
		this.notes = blankToNull(details.notes());
		this.consultantId = details.consultantId();
		this.nextContactOn = details.nextContactOn();
		this.homeBranchId = details.homeBranchId();
		Set<Phone> phones = new LinkedHashSet<>();
		for (PhoneNumber phone : details.phones()) {
			phones.add(new Phone(phone.e164(), phones.isEmpty()));
		}
		this.phones = phones;
		this.messengers = details.messengers()
			.entrySet()
			.stream()
			.filter(entry -> entry.getValue() != null && !entry.getValue().isBlank())
			.map(entry -> new MessengerHandle(entry.getKey(), entry.getValue().trim()))
			.collect(Collectors.toSet());
		this.tags = details.tags().stream().map(Tag::new).collect(Collectors.toSet());
	}

	/** Turns the card into a tombstone; its contacts now live on the survivor. */
	void mergeInto(long survivorId) {
		this.mergedInto = survivorId;
		this.phones = Set.of();
		this.messengers = Set.of();
		this.tags = Set.of();
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return value == null || value.isBlank() ? null : value.trim();
	}

	/** One phone of the card. */
	@Table("patient_phone")
	record Phone(String number, boolean main) {
	}

	/** A messenger handle. */
	@Table("patient_messenger")
	record MessengerHandle(Messenger kind, String handle) {
	}

	/** A tag. */
	@Table("patient_tag")
	record Tag(String tag) {
	}

}
