package dev.klinika.demo;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import dev.klinika.patients.BulkPatient;
import dev.klinika.patients.ConsentChannel;
import dev.klinika.patients.ConsentKind;
import dev.klinika.patients.Messenger;
import dev.klinika.patients.PatientBulkInsert;
import dev.klinika.patients.PatientSourceManagement;
import dev.klinika.patients.Sex;

/**
 * Patients with realistic Russian names, patronymics by sex, phones, ages 0-90, sources,
 * tags and consents. Rows go in with PostgreSQL COPY in chunks, so a million take about a
 * minute and memory stays bounded; the cards are the same as ones typed in.
 */
@Component
@Order(4)
class PatientsDemo implements DemoStep {

	private static final Logger log = LoggerFactory.getLogger(PatientsDemo.class);

	static final int CHUNK = 20_000;

	static final List<String> SOURCES = List.of("Рекомендация знакомых", "Яндекс.Карты", "2ГИС", "Сайт клиники",
			"Яндекс.Директ", "ВКонтакте", "ПроДокторов", "Наружная реклама", "Направил врач");

	static final List<String> SURNAMES = List.of("Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров",
			"Соколов", "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов",
			"Егоров", "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров",
			"Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев", "Кузьмин",
			"Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв", "Ильин", "Максимов", "Поляков",
			"Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев", "Антонов", "Тарасов", "Жуков", "Баранов",
			"Филиппов", "Комаров", "Давыдов", "Беляев", "Герасимов", "Богданов", "Осипов", "Сидоров", "Матвеев",
			"Титов", "Марков", "Миронов", "Крылов", "Куликов", "Карпов", "Власов", "Мельников", "Денисов");

	/**
	 * Roots that make about {@code 3 × roots} more surnames (-ов, -ин, -ский), so that a
	 * big base has the long tail of surnames a real one has, not a few dozen shared by
	 * everyone.
	 */
	static final List<String> SURNAME_ROOTS = List.of("Абрам", "Агап", "Акул", "Алаб", "Алфер", "Анис", "Арист",
			"Бабур", "Бажен", "Балаш", "Барсук", "Басман", "Батур", "Беляк", "Бердник", "Бобр", "Богат", "Болот",
			"Борзов", "Бочар", "Брыз", "Будан", "Булат", "Бурлак", "Быстр", "Вавил", "Варак", "Ведер", "Велич",
			"Верещаг", "Веснин", "Ветр", "Вихор", "Власьев", "Водоп", "Волоск", "Ворон", "Вязем", "Гаврил", "Галкин",
			"Гвозд", "Глад", "Глухар", "Голов", "Голуб", "Горбун", "Гордеев", "Грач", "Гребен", "Гриб", "Грошев",
			"Гуляев", "Давыд", "Дегтяр", "Дементь", "Дерябин", "Дорох", "Дрозд", "Дубин", "Дьяч", "Евдоким", "Елисеев",
			"Ерем", "Ермак", "Ершов", "Жаров", "Жидк", "Журавл", "Забел", "Загор", "Зуб", "Зыков", "Игнать", "Изюм",
			"Калач", "Калин", "Каменск", "Карась", "Кашир", "Кирьян", "Клим", "Ключар", "Кобзар", "Колесн", "Комар",
			"Коновал", "Копыл", "Корнил", "Коротк", "Котел", "Кочет", "Кравц", "Крюч", "Кувшин", "Кудряв", "Кулик",
			"Куприян", "Лавр", "Лапш", "Ларион", "Лебед", "Левш", "Лесн", "Лихач", "Лопат", "Лукьян", "Лыс", "Мальц",
			"Маслен", "Мазур", "Медв", "Мельн", "Мерзл", "Мешк", "Мохов", "Мурав", "Назар", "Наум", "Некрас", "Нестер",
			"Ниловск", "Носк", "Овчин", "Огур", "Окун", "Орех", "Осин", "Пахом", "Пестр", "Печерск", "Плотн", "Подгорн",
			"Полян", "Прох", "Пушк", "Разум", "Репин", "Ручьев", "Рябин", "Савин", "Сазон", "Самойл", "Сверч", "Северн",
			"Сем", "Серебр", "Синиц", "Скворц", "Скобел", "Смолен", "Снегир", "Соболь", "Соснов", "Стрелк", "Суворов",
			"Сурик", "Тарак", "Терент", "Тихон", "Ткач", "Трофим", "Тулуп", "Тюрин", "Уваров", "Ульян", "Устин",
			"Фадеев", "Фомич", "Хомяк", "Хрустал", "Цветк", "Чайк", "Черепан", "Чернышев", "Чеснок", "Шапош", "Шарап",
			"Шевел", "Шилов", "Шмел", "Щеглов", "Щукин", "Юдин", "Юрлов", "Яблок", "Ярцев");

	static final List<String> MALE_NAMES = List.of("Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей",
			"Артём", "Илья", "Кирилл", "Михаил", "Никита", "Матвей", "Роман", "Егор", "Арсений", "Иван", "Денис",
			"Евгений", "Даниил", "Тимофей", "Владислав", "Игорь", "Владимир", "Павел", "Руслан", "Марк", "Константин",
			"Тимур", "Олег", "Ярослав", "Антон", "Николай", "Глеб", "Виктор", "Юрий", "Пётр");

	static final List<String> FEMALE_NAMES = List.of("Анна", "Мария", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина",
			"Екатерина", "Светлана", "Юлия", "Анастасия", "Дарья", "Полина", "Виктория", "Ксения", "Алина", "Валерия",
			"Софья", "Марина", "Людмила", "Галина", "Вера", "Надежда", "Любовь", "Оксана", "Кристина", "Алёна",
			"Евгения", "Александра", "Варвара", "Василиса", "Елизавета", "Ульяна", "Милана", "Вероника", "Нина");

	/** A father's name and the patronymics it gives a son and a daughter. */
	static final String[][] PATRONYMICS = { { "Александрович", "Александровна" }, { "Дмитриевич", "Дмитриевна" },
			{ "Сергеевич", "Сергеевна" }, { "Андреевич", "Андреевна" }, { "Алексеевич", "Алексеевна" },
			{ "Михайлович", "Михайловна" }, { "Иванович", "Ивановна" }, { "Владимирович", "Владимировна" },
			{ "Николаевич", "Николаевна" }, { "Игоревич", "Игоревна" }, { "Олегович", "Олеговна" },
			{ "Викторович", "Викторовна" }, { "Юрьевич", "Юрьевна" }, { "Павлович", "Павловна" },
			{ "Евгеньевич", "Евгеньевна" }, { "Петрович", "Петровна" }, { "Ильич", "Ильинична" },
			{ "Никитич", "Никитична" }, { "Константинович", "Константиновна" }, { "Романович", "Романовна" },
			{ "Денисович", "Денисовна" }, { "Максимович", "Максимовна" }, { "Антонович", "Антоновна" },
			{ "Артёмович", "Артёмовна" }, { "Кириллович", "Кирилловна" }, { "Григорьевич", "Григорьевна" } };

	static final List<String> TAGS = List.of("vip", "курс ЛФК", "боли в спине", "после травмы", "ребёнок",
			"корпоративный", "пенсионер", "спортсмен");

	static final List<String> EMAIL_DOMAINS = List.of("mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru");

	static final ZoneOffset MOSCOW = ZoneOffset.ofHours(3);

	private final PatientSourceManagement sources;

	private final PatientBulkInsert bulk;

	PatientsDemo(PatientSourceManagement sources, PatientBulkInsert bulk) {
		this.sources = sources;
		this.bulk = bulk;
	}

	@Override
	public void generate(DemoContext context) {
		List<Long> sourceIds = new ArrayList<>();
		SOURCES.forEach(name -> sourceIds.add(this.sources.add(name).getId()));
		int total = context.properties.patients();
		if (total == 0) {
			return;
		}
		long started = System.nanoTime();
		for (int from = 0; from < total; from += CHUNK) {
			this.bulk.insert(chunk(context, sourceIds, Math.min(CHUNK, total - from)));
		}
		log.info("Generated {} demo patients in {} ms", total, (System.nanoTime() - started) / 1_000_000);
	}

	private List<BulkPatient> chunk(DemoContext context, List<Long> sourceIds, int count) {
		List<BulkPatient> patients = new ArrayList<>(count);
		LocalDate today = LocalDate.now();
		var random = context.random;
		for (int i = 0; i < count; i++) {
			boolean female = random.nextInt(100) < 58;
			String surname = feminine(surname(random), female);
			String name = female ? context.pick(FEMALE_NAMES) : context.pick(MALE_NAMES);
			String patronymic = PATRONYMICS[random.nextInt(PATRONYMICS.length)][female ? 1 : 0];
			int age = random.nextInt(100) < 12 ? random.nextInt(18) : 18 + random.nextInt(73);
			LocalDate birth = today.minusYears(age).minusDays(random.nextInt(365));
			String email = random.nextInt(100) < 40
					? transliterate(surname) + "." + (1000 + random.nextInt(9000)) + "@" + context.pick(EMAIL_DOMAINS)
					: null;
			long branch = context.branchIds.get(random.nextInt(context.branchIds.size()));
			Long source = random.nextInt(100) < 85 ? sourceIds.get(random.nextInt(sourceIds.size())) : null;
			LocalDate createdOn = today.minusDays(random.nextInt(6 * 365));
			OffsetDateTime created = createdOn.atTime(10, 0).atOffset(MOSCOW);
			List<String> phones = new ArrayList<>(List.of(mobile(random)));
			if (random.nextInt(100) < 15) {
				phones.add(mobile(random));
			}
			Map<Messenger, String> messengers = random.nextInt(100) < 30
					? Map.of(Messenger.TELEGRAM, "@" + transliterate(name) + "_" + random.nextInt(100000)) : Map.of();
			List<String> tags = random.nextInt(100) < 20 ? List.of(context.pick(TAGS)) : List.of();
			List<BulkPatient.Consent> consents = new ArrayList<>();
			if (random.nextInt(100) < 95) {
				consents.add(new BulkPatient.Consent(ConsentKind.PERSONAL_DATA, created, ConsentChannel.PAPER, null));
			}
			if (random.nextInt(100) < 60) {
				// A withdrawal comes after the consent: some day between it and today.
				long days = ChronoUnit.DAYS.between(createdOn, today);
				OffsetDateTime withdrawn = random.nextInt(100) < 8 && days > 0
						? createdOn.plusDays(1 + random.nextLong(days)).atTime(12, 0).atOffset(MOSCOW) : null;
				consents.add(new BulkPatient.Consent(ConsentKind.MARKETING, created, ConsentChannel.PAPER, withdrawn));
			}
			patients.add(new BulkPatient(surname, name, patronymic, female ? Sex.F : Sex.M, birth, email, null, source,
					branch, "demo", created, phones, messengers, tags, consents, "CREATED", surname + " " + name));
			if (random.nextInt(100) == 0) {
				// Real bases hold duplicates: the same person typed in again by another
				// receptionist,
				// with the same phone, "е" for "ё" and no patronymic or birth date.
				patients.add(new BulkPatient(surname.replace('ё', 'е'), name, null, null, null, null, null, null,
						branch, "demo", created.plusDays(30), List.of(phones.get(0)), Map.of(), List.of(), List.of(),
						"CREATED", surname + " " + name));
			}
		}
		return patients;
	}

	private static String mobile(java.util.Random random) {
		return "+79" + String.format("%09d", random.nextInt(1_000_000_000));
	}

	/**
	 * A surname by how common it is: the classic ones most often, the long tail of
	 * root-made ones less (a skewed pick, index = n·u^1.5, so the most common covers
	 * about 2 % of people).
	 */
	static String surname(java.util.Random random) {
		int tail = SURNAME_ROOTS.size() * 3;
		int index = (int) ((SURNAMES.size() + tail) * Math.pow(random.nextDouble(), 1.5));
		if (index < SURNAMES.size()) {
			return SURNAMES.get(index);
		}
		int made = index - SURNAMES.size();
		String root = SURNAME_ROOTS.get(made / 3);
		String lower = root.toLowerCase();
		if (lower.endsWith("ов") || lower.endsWith("ев") || lower.endsWith("ин")) {
			return made % 3 == 2 ? root + "ский" : root;
		}
		return root + switch (made % 3) {
			case 0 -> "ов";
			case 1 -> "ин";
			default -> "ский";
		};
	}

	/** Иванов → Иванова, Ильин → Ильина, Каменский → Каменская for women. */
	static String feminine(String surname, boolean female) {
		if (!female) {
			return surname;
		}
		return surname.endsWith("ий") ? surname.substring(0, surname.length() - 2) + "ая" : surname + "а";
	}

	private static String transliterate(String word) {
		String[] latin = { "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
				"t", "u", "f", "kh", "ts", "ch", "sh", "sch", "", "y", "", "e", "yu", "ya" };
		StringBuilder out = new StringBuilder();
		for (char c : word.toLowerCase().toCharArray()) {
			if (c >= 'а' && c <= 'я') {
				out.append(latin[c - 'а']);
			}
			else if (c == 'ё') {
				out.append("e");
			}
		}
		return out.toString();
	}

}
