package dev.klinika.demo;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import dev.klinika.organization.Branch;
import dev.klinika.organization.BranchManagement;
import dev.klinika.organization.Clinic;
import dev.klinika.organization.ClinicProfile;
import dev.klinika.organization.RoomKind;
import dev.klinika.organization.StaffManagement;
import dev.klinika.organization.StaffMember;
import dev.klinika.organization.WorkingHours;
import dev.klinika.shared.Money;
import dev.klinika.shared.PhoneNumber;

/**
 * A rehabilitation and dental network of three branches in two time zones (Moscow and
 * Yekaterinburg), its specialties from the articles, rooms and staff.
 */
@Component
@Order(1)
class OrganizationDemo implements DemoStep {

	/** Specialties and the position staff with them hold. */
	static final List<String[]> SPECIALTIES = List.of(new String[] { "Терапевт", "Врач-терапевт" },
			new String[] { "Невролог", "Врач-невролог" }, new String[] { "Стоматолог-терапевт", "Врач-стоматолог" },
			new String[] { "Стоматолог-хирург", "Врач-стоматолог-хирург" },
			new String[] { "Ортодонт", "Врач-ортодонт" }, new String[] { "Массаж", "Массажист" },
			new String[] { "ЛФК", "Инструктор ЛФК" }, new String[] { "Мануальная терапия", "Мануальный терапевт" },
			new String[] { "Травматолог-ортопед", "Врач травматолог-ортопед" },
			new String[] { "Физиотерапия", "Врач-физиотерапевт" }, new String[] { "Рентгенология", "Врач-рентгенолог" },
			new String[] { "УЗИ-диагностика", "Врач УЗИ-диагностики" });

	static final List<String> SURNAMES_MALE = List.of("Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров",
			"Соколов", "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов");

	static final List<String> NAMES_MALE = List.of("Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей",
			"Артём", "Илья", "Кирилл", "Михаил");

	static final List<String> PATRONYMICS_MALE = List.of("Александрович", "Дмитриевич", "Сергеевич", "Андреевич",
			"Игоревич", "Владимирович", "Олегович");

	static final List<String> NAMES_FEMALE = List.of("Анна", "Мария", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина",
			"Екатерина", "Светлана", "Юлия");

	static final List<String> PATRONYMICS_FEMALE = List.of("Александровна", "Дмитриевна", "Сергеевна", "Андреевна",
			"Игоревна", "Владимировна", "Олеговна");

	private final ClinicProfile clinic;

	private final BranchManagement branches;

	private final StaffManagement staff;

	OrganizationDemo(ClinicProfile clinic, BranchManagement branches, StaffManagement staff) {
		this.clinic = clinic;
		this.branches = branches;
		this.staff = staff;
	}

	@Override
	public void generate(DemoContext context) {
		this.clinic.update(null, "Клиника «Движение»",
				new Clinic.LegalDetails("ООО «Клиника Движение»", "7701234567", "770101001", "1157746123456",
						"125009, г. Москва, ул. Тверская, д. 7", "ПАО Сбербанк", "044525225", "40702810938000012345",
						"30101810400000000225"),
				"+74951234567", "info@dvizhenie.example", "https://dvizhenie.example", Money.RUB, null);
		branch(context, "Движение на Тверской", "г. Москва, ул. Тверская, д. 7", "+74951234567", "Europe/Moscow", 8,
				21);
		branch(context, "Движение на Соколе", "г. Москва, Ленинградский пр-т, д. 74", "+74951234568", "Europe/Moscow",
				9, 21);
		branch(context, "Движение Екатеринбург", "г. Екатеринбург, ул. Малышева, д. 51", "+73432123456",
				"Asia/Yekaterinburg", 8, 20);
		for (String[] specialty : SPECIALTIES) {
			context.specialties.put(specialty[0], this.staff.addSpecialty(specialty[0]).getId());
		}
		for (int i = 0; i < context.properties.staff(); i++) {
			hire(context, SPECIALTIES.get(i % SPECIALTIES.size()), i);
		}
	}

	private void branch(DemoContext context, String name, String address, String phone, String zone, int opens,
			int closes) {
		Set<WorkingHours> hours = new HashSet<>();
		for (int day = 1; day <= 6; day++) {
			hours.add(new WorkingHours(day, LocalTime.of(day == 6 ? opens + 1 : opens, 0),
					LocalTime.of(day == 6 ? closes - 3 : closes, 0)));
		}
		Branch branch = this.branches.open(name, address, PhoneNumber.parse(phone).orElseThrow(), ZoneId.of(zone),
				hours);
		long id = branch.getId();
		context.branchIds.add(id);
		this.branches.addRoom(id, "Кабинет 101", RoomKind.CABINET);
		this.branches.addRoom(id, "Кабинет 102", RoomKind.CABINET);
		this.branches.addRoom(id, "Процедурная", RoomKind.PROCEDURE);
		this.branches.addRoom(id, "Зал ЛФК", RoomKind.GYM);
		this.branches.addRoom(id, "Массажный кабинет", RoomKind.MASSAGE);
		this.branches.addRoom(id, "Стоматологический кабинет", RoomKind.DENTAL_CHAIR);
		this.branches.addRoom(id, "Рентген", RoomKind.DIAGNOSTIC);
	}

	private void hire(DemoContext context, String[] specialty, int index) {
		boolean female = context.random.nextBoolean();
		String surname = context.pick(SURNAMES_MALE) + (female ? "а" : "");
		String name = female ? context.pick(NAMES_FEMALE) : context.pick(NAMES_MALE);
		String patronymic = female ? context.pick(PATRONYMICS_FEMALE) : context.pick(PATRONYMICS_MALE);
		List<Long> branchIds = new ArrayList<>();
		branchIds.add(context.branchIds.get(index % context.branchIds.size()));
		if (index % 5 == 0) {
			// Some specialists see patients in two branches, as in a real network.
			branchIds.add(context.branchIds.get((index + 1) % context.branchIds.size()));
		}
		String phone = String.format("+7916%07d", 1_000_000 + index * 7919 % 8_999_999);
		StaffMember member = this.staff.hire(new StaffMember.Profile(surname, name, patronymic, specialty[1],
				PhoneNumber.parse(phone).orElse(null), "staff" + (index + 1) + "@dvizhenie.example",
				Set.of(context.specialties.get(specialty[0])), Set.copyOf(branchIds)));
		context.staffBranches.put(member.getId(), branchIds);
		context.staffNames.put(member.getId(), member.getFullName());
		context.staffBySpecialty.computeIfAbsent(specialty[0], key -> new ArrayList<>()).add(member.getId());
	}

}
