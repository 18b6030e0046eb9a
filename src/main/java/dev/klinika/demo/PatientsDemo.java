package dev.klinika.demo;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.annotation.Order;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

import dev.klinika.patients.PatientSourceManagement;

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

	private final PatientSourceManagement sources;

	private final DataSource dataSource;

	PatientsDemo(PatientSourceManagement sources, DataSource dataSource) {
		this.sources = sources;
		this.dataSource = dataSource;
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
		// Joins the demo's transaction: nothing is left half-made if a step fails.
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try {
			long firstId = reserveIds(connection, total);
			PGConnection postgres = connection.unwrap(PGConnection.class);
			for (int from = 0; from < total; from += CHUNK) {
				copyChunk(postgres, context, sourceIds, firstId + from, Math.min(CHUNK, total - from));
			}
			log.info("Generated {} demo patients in {} ms", total, (System.nanoTime() - started) / 1_000_000);
		}
		catch (SQLException | IOException ex) {
			throw new IllegalStateException("Demo patients could not be written", ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

	/**
	 * Takes {@code count} ids from the patient sequence at once and returns the first.
	 */
	private static long reserveIds(Connection connection, int count) throws SQLException {
		try (var statement = connection.createStatement();
				var result = statement.executeQuery("select nextval('patient_id_seq')")) {
			result.next();
			long first = result.getLong(1);
			statement.execute("select setval('patient_id_seq', " + (first + count - 1) + ")");
			return first;
		}
	}

	private void copyChunk(PGConnection postgres, DemoContext context, List<Long> sourceIds, long firstId, int count)
			throws SQLException, IOException {
		StringBuilder patients = new StringBuilder(count * 160);
		StringBuilder phones = new StringBuilder(count * 30);
		StringBuilder tags = new StringBuilder(count * 8);
		StringBuilder consents = new StringBuilder(count * 90);
		StringBuilder messengers = new StringBuilder(count * 10);
		StringBuilder timeline = new StringBuilder(count * 60);
		LocalDate today = LocalDate.now();
		var random = context.random;
		for (int i = 0; i < count; i++) {
			long id = firstId + i;
			boolean female = random.nextInt(100) < 58;
			String surname = feminine(surname(random), female);
			String name = female ? context.pick(FEMALE_NAMES) : context.pick(MALE_NAMES);
			String patronymic = PATRONYMICS[random.nextInt(PATRONYMICS.length)][female ? 1 : 0];
			int age = random.nextInt(100) < 12 ? random.nextInt(18) : 18 + random.nextInt(73);
			LocalDate birth = today.minusYears(age).minusDays(random.nextInt(365));
			String email = random.nextInt(100) < 40
					? transliterate(surname) + "." + (1000 + random.nextInt(9000)) + "@" + context.pick(EMAIL_DOMAINS)
					: "\\N";
			long branch = context.branchIds.get(random.nextInt(context.branchIds.size()));
			String source = random.nextInt(100) < 85 ? String.valueOf(sourceIds.get(random.nextInt(sourceIds.size())))
					: "\\N";
			LocalDate created = today.minusDays(random.nextInt(6 * 365));
			patients.append(id)
				.append('\t')
				.append(surname)
				.append('\t')
				.append(name)
				.append('\t')
				.append(patronymic)
				.append('\t')
				.append(female ? 'F' : 'M')
				.append('\t')
				.append(birth)
				.append('\t')
				.append(email)
				.append('\t')
				.append(source)
				.append('\t')
				.append(branch)
				.append('\t')
				.append("demo")
				.append('\t')
				.append(created)
				.append(" 10:00:00+03\n");
			phones.append(id).append('\t').append(mobile(random)).append("\tt\n");
			if (random.nextInt(100) < 15) {
				phones.append(id).append('\t').append(mobile(random)).append("\tf\n");
			}
			if (random.nextInt(100) < 30) {
				messengers.append(id)
					.append("\tTELEGRAM\t@")
					.append(transliterate(name))
					.append('_')
					.append(random.nextInt(100000))
					.append('\n');
			}
			if (random.nextInt(100) < 20) {
				tags.append(id).append('\t').append(context.pick(TAGS)).append('\n');
			}
			if (random.nextInt(100) < 95) {
				consents.append(id)
					.append("\tPERSONAL_DATA\t")
					.append(created)
					.append(" 10:00:00+03\tPAPER\t\\N\tdemo\n");
			}
			if (random.nextInt(100) < 60) {
				// A withdrawal comes after the consent: some day between it and today.
				long days = java.time.temporal.ChronoUnit.DAYS.between(created, today);
				String withdrawn = random.nextInt(100) < 8 && days > 0
						? created.plusDays(1 + random.nextLong(days)) + " 12:00:00+03" : "\\N";
				consents.append(id)
					.append("\tMARKETING\t")
					.append(created)
					.append(" 10:00:00+03\tPAPER\t")
					.append(withdrawn)
					.append("\tdemo\n");
			}
			timeline.append(id)
				.append('\t')
				.append(created)
				.append(" 10:00:00+03\tCREATED\t")
				.append(surname)
				.append(' ')
				.append(name)
				.append("\tdemo\n");
		}
		copy(postgres, "patient (id, surname, name, patronymic, sex, birth_date, email, source_id, home_branch_id, "
				+ "created_by, created_at)", patients);
		copy(postgres, "patient_phone (patient_id, number, main)", dedupePhones(phones));
		copy(postgres, "patient_messenger (patient_id, kind, handle)", messengers);
		copy(postgres, "patient_tag (patient_id, tag)", tags);
		copy(postgres, "patient_consent (patient_id, kind, given_at, channel, withdrawn_at, recorded_by)", consents);
		copy(postgres, "patient_timeline (patient_id, at, kind, summary, actor)", timeline);
	}

	private static void copy(PGConnection postgres, String table, CharSequence rows) throws SQLException, IOException {
		if (!rows.isEmpty()) {
			postgres.getCopyAPI().copyIn("copy " + table + " from stdin", new StringReader(rows.toString()));
		}
	}

	/** A patient's second phone may, rarely, repeat the first: keep one. */
	private static CharSequence dedupePhones(StringBuilder phones) {
		StringBuilder unique = new StringBuilder(phones.length());
		String previousKey = "";
		for (String line : phones.toString().split("\n")) {
			String key = line.substring(0, line.lastIndexOf('\t'));
			if (!key.equals(previousKey)) {
				unique.append(line).append('\n');
			}
			previousKey = key;
		}
		return unique;
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
