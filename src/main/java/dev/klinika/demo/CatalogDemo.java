package dev.klinika.demo;

import java.math.BigDecimal;
import java.time.Period;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import dev.klinika.catalog.CatalogManagement;
import dev.klinika.catalog.MedicalService;
import dev.klinika.catalog.PackageProducts;

/**
 * About sixty services with Moscow prices of 2026, grouped as clinics group their price
 * lists.
 */
@Component
@Order(2)
class CatalogDemo implements DemoStep {

	/**
	 * Category, code, name, specialty, minutes, price in RUB, repeat interval (ISO-8601)
	 * or "".
	 */
	static final String[][] SERVICES = {
			{ "Консультации", "CON-THER-1", "Приём терапевта первичный", "Терапевт", "30", "2500", "" },
			{ "Консультации", "CON-THER-2", "Приём терапевта повторный", "Терапевт", "20", "2000", "" },
			{ "Консультации", "CON-NEUR-1", "Приём невролога первичный", "Невролог", "40", "3200", "" },
			{ "Консультации", "CON-NEUR-2", "Приём невролога повторный", "Невролог", "30", "2700", "" },
			{ "Консультации", "CON-ORTH-1", "Приём травматолога-ортопеда первичный", "Травматолог-ортопед", "30",
					"3000", "" },
			{ "Консультации", "CON-ORTH-2", "Приём травматолога-ортопеда повторный", "Травматолог-ортопед", "20",
					"2500", "" },
			{ "Консультации", "CON-MANU-1", "Консультация мануального терапевта", "Мануальная терапия", "30", "2800",
					"" },
			{ "Консультации", "CON-PHYS-1", "Консультация физиотерапевта", "Физиотерапия", "20", "1800", "" },
			{ "Консультации", "CON-DENT-1", "Консультация стоматолога", "Стоматолог-терапевт", "30", "1500", "" },
			{ "Консультации", "CON-ORTD-1", "Консультация ортодонта", "Ортодонт", "40", "2500", "" },
			{ "Массаж", "MAS-BACK", "Массаж спины", "Массаж", "30", "2200", "" },
			{ "Массаж", "MAS-NECK", "Массаж шейно-воротниковой зоны", "Массаж", "20", "1600", "" },
			{ "Массаж", "MAS-LUMB", "Массаж пояснично-крестцовой области", "Массаж", "20", "1600", "" },
			{ "Массаж", "MAS-FULL", "Общий массаж", "Массаж", "60", "3900", "" },
			{ "Массаж", "MAS-LEG", "Массаж нижних конечностей", "Массаж", "30", "2000", "" },
			{ "Массаж", "MAS-LYMPH", "Лимфодренажный массаж", "Массаж", "45", "3000", "" },
			{ "Массаж", "MAS-CHILD", "Детский массаж", "Массаж", "30", "1800", "" },
			{ "Массаж", "MAS-10", "Курс массажа спины, 10 сеансов", "Массаж", "30", "19800", "P6M" },
			{ "ЛФК", "LFK-IND", "Индивидуальное занятие ЛФК", "ЛФК", "45", "2500", "" },
			{ "ЛФК", "LFK-GRP", "Групповое занятие ЛФК", "ЛФК", "60", "900", "" },
			{ "ЛФК", "LFK-SPINE", "ЛФК при болях в спине", "ЛФК", "45", "2700", "" },
			{ "ЛФК", "LFK-REHAB", "Реабилитация после травмы, занятие", "ЛФК", "60", "3200", "" },
			{ "ЛФК", "LFK-KINESIO", "Кинезиотейпирование", "ЛФК", "20", "1200", "" },
			{ "ЛФК", "LFK-12", "Курс ЛФК, 12 занятий", "ЛФК", "45", "27000", "P6M" },
			{ "Мануальная терапия", "MAN-SESS", "Сеанс мануальной терапии", "Мануальная терапия", "40", "3500", "" },
			{ "Мануальная терапия", "MAN-PIR", "Постизометрическая релаксация", "Мануальная терапия", "30", "2500",
					"" },
			{ "Мануальная терапия", "MAN-OST", "Остеопатический сеанс", "Мануальная терапия", "60", "5500", "" },
			{ "Мануальная терапия", "MAN-5", "Курс мануальной терапии, 5 сеансов", "Мануальная терапия", "40", "16000",
					"P1Y" },
			{ "Физиотерапия", "PHY-MAGN", "Магнитотерапия", "Физиотерапия", "15", "800", "" },
			{ "Физиотерапия", "PHY-ELEC", "Электрофорез", "Физиотерапия", "15", "700", "" },
			{ "Физиотерапия", "PHY-USW", "Ударно-волновая терапия", "Физиотерапия", "20", "3000", "" },
			{ "Физиотерапия", "PHY-LASER", "Лазеротерапия", "Физиотерапия", "15", "900", "" },
			{ "Физиотерапия", "PHY-ULTRA", "Ультразвуковая терапия", "Физиотерапия", "15", "850", "" },
			{ "Физиотерапия", "PHY-HILT", "Высокоинтенсивная лазеротерапия (HILT)", "Физиотерапия", "20", "2500", "" },
			{ "Диагностика", "DIA-XRAY-SP", "Рентгенография позвоночника", "Рентгенология", "15", "2200", "P6M" },
			{ "Диагностика", "DIA-XRAY-JT", "Рентгенография сустава", "Рентгенология", "15", "1800", "P6M" },
			{ "Диагностика", "DIA-OPTG", "Ортопантомограмма", "Рентгенология", "10", "1500", "P1Y" },
			{ "Диагностика", "DIA-US-JT", "УЗИ сустава", "УЗИ-диагностика", "20", "2400", "" },
			{ "Диагностика", "DIA-US-ABD", "УЗИ брюшной полости", "УЗИ-диагностика", "30", "2900", "P1Y" },
			{ "Диагностика", "DIA-US-THY", "УЗИ щитовидной железы", "УЗИ-диагностика", "20", "2000", "P1Y" },
			{ "Диагностика", "DIA-ECG", "ЭКГ с расшифровкой", "Терапевт", "15", "1300", "P1Y" },
			{ "Диагностика", "DIA-ENMG", "Электронейромиография", "Невролог", "45", "4500", "" },
			{ "Стоматология", "DEN-HYG", "Профессиональная гигиена полости рта", "Стоматолог-терапевт", "60", "6500",
					"P6M" },
			{ "Стоматология", "DEN-CAR", "Лечение кариеса, пломба", "Стоматолог-терапевт", "60", "7500", "" },
			{ "Стоматология", "DEN-ENDO1", "Лечение каналов, одноканальный зуб", "Стоматолог-терапевт", "90", "9000",
					"" },
			{ "Стоматология", "DEN-ENDO3", "Лечение каналов, трёхканальный зуб", "Стоматолог-терапевт", "120", "16000",
					"" },
			{ "Стоматология", "DEN-WHITE", "Отбеливание зубов", "Стоматолог-терапевт", "90", "25000", "P1Y" },
			{ "Стоматология", "DEN-EXT", "Удаление зуба простое", "Стоматолог-хирург", "30", "4000", "" },
			{ "Стоматология", "DEN-EXT8", "Удаление зуба мудрости", "Стоматолог-хирург", "60", "9500", "" },
			{ "Стоматология", "DEN-IMPL", "Установка импланта", "Стоматолог-хирург", "90", "45000", "" },
			{ "Стоматология", "DEN-BRACE", "Установка брекет-системы (одна челюсть)", "Ортодонт", "120", "65000", "" },
			{ "Стоматология", "DEN-BRACE-C", "Коррекция брекет-системы", "Ортодонт", "30", "3500", "P1M" },
			{ "Стоматология", "DEN-GUARD", "Ретейнер", "Ортодонт", "30", "12000", "" },
			{ "Процедуры", "PRC-INJ", "Внутримышечная инъекция", "Терапевт", "10", "500", "" },
			{ "Процедуры", "PRC-BLOCK", "Блокада паравертебральная", "Невролог", "20", "3500", "" },
			{ "Процедуры", "PRC-PRP", "PRP-терапия сустава", "Травматолог-ортопед", "30", "9000", "P6M" },
			{ "Процедуры", "PRC-HYAL", "Введение гиалуроновой кислоты в сустав", "Травматолог-ортопед", "20", "12000",
					"P6M" },
			{ "Процедуры", "PRC-ORTH", "Подбор ортопедических стелек", "Травматолог-ортопед", "40", "6000", "P1Y" },
			{ "Процедуры", "PRC-VAX", "Вакцинация от гриппа", "Терапевт", "15", "1500", "P1Y" },
			{ "Процедуры", "PRC-CHECK", "Check-up «Здоровая спина»", "Невролог", "90", "9900", "P1Y" } };

	/**
	 * Services that need a room of their own: X-rays the X-ray room, the group the hall.
	 */
	static final java.util.Map<String, String> ROOMS = java.util.Map.of("DIA-XRAY-SP", "DIAGNOSTIC", "DIA-XRAY-JT",
			"DIAGNOSTIC", "DIA-OPTG", "DIAGNOSTIC", "LFK-GRP", "GYM");

	/** The group class of the demo: eight seats. */
	static final String GROUP = "LFK-GRP";

	private final CatalogManagement catalog;

	private final PackageProducts packages;

	CatalogDemo(CatalogManagement catalog, PackageProducts packages) {
		this.packages = packages;
		this.catalog = catalog;
	}

	@Override
	public void generate(DemoContext context) {
		java.util.Map<String, Long> categories = new java.util.LinkedHashMap<>();
		java.util.Map<String, Long> services = new java.util.HashMap<>();
		for (String[] row : SERVICES) {
			categories.computeIfAbsent(row[0],
					name -> this.catalog.addCategory(name, (categories.size() + 1) * 10).getId());
			Period repeat = row[6].isEmpty() ? null : Period.parse(row[6]);
			services.put(row[1],
					this.catalog
						.add(new MedicalService.Definition(row[1], row[2], categories.get(row[0]),
								context.specialties.get(row[3]), Integer.parseInt(row[4]), repeat, ROOMS.get(row[1]),
								row[1].equals(GROUP) ? 8 : 1), dev.klinika.shared.Money.rub(row[5]))
						.getId());
		}
		// Courses the clinic sells as packages: massage, exercise therapy, manual
		// therapy,
		// and an amount to spend on any massage.
		var visits = PackageProducts.Kind.VISITS;
		this.packages.add(new PackageProducts.Definition("Массаж спины — 10 сеансов", visits, services.get("MAS-BACK"),
				null, 10, new BigDecimal("19800"), 120, PackageProducts.ValidFrom.SALE, 14, true));
		this.packages
			.add(new PackageProducts.Definition("ЛФК — 12 индивидуальных занятий", visits, services.get("LFK-IND"),
					null, 12, new BigDecimal("27000"), 180, PackageProducts.ValidFrom.SALE, 14, false));
		this.packages
			.add(new PackageProducts.Definition("Мануальная терапия — 5 сеансов", visits, services.get("MAN-SESS"),
					null, 5, new BigDecimal("16000"), 90, PackageProducts.ValidFrom.FIRST_USE, 0, false));
		this.packages.add(new PackageProducts.Definition("Депозит на массаж 15 000 ₽", PackageProducts.Kind.AMOUNT,
				null, categories.get("Массаж"), null, new BigDecimal("15000"), 365, PackageProducts.ValidFrom.SALE, 0,
				true));
	}

}
