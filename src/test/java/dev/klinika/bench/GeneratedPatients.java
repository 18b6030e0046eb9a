package dev.klinika.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.KlinikaApplication;

/**
 * Patients for benchmarks from a generator of their own (word lists written here, not the
 * demo's), in one branch, inserted by one statement.
 */
public final class GeneratedPatients {

	/** Roots of surnames, each taking the endings below. */
	static final List<String> ROOTS = List.of("Аксен", "Бабур", "Балаш", "Белоус", "Бирюк", "Бобыл", "Боровик",
			"Брагин", "Булат", "Бурлак", "Вавил", "Ведерник", "Веселк", "Ветлуг", "Вихр", "Волын", "Ворон", "Гаврил",
			"Галкин", "Глухар", "Голован", "Горбун", "Гребен", "Гусляр", "Давыд", "Дегтяр", "Дорож", "Дуб", "Ерш",
			"Жар", "Жук", "Забел", "Загор", "Зайц", "Звонар", "Зим", "Игнат", "Изюм", "Кабан", "Калин", "Камыш",
			"Карас", "Кедр", "Клён", "Ковыл", "Кожемяк", "Колос", "Комар", "Коновал", "Копыл", "Корн", "Кос", "Котл",
			"Кочет", "Кремн", "Крут", "Кулик", "Купал", "Лаптев", "Ласт", "Лем", "Лис", "Лоз", "Луч", "Мак", "Мал",
			"Мед", "Мельн", "Мирон", "Мороз", "Мох", "Мыльн", "Нагор", "Нестер", "Овсян", "Окун", "Орех", "Осин", "Пан",
			"Пахом", "Перепел", "Печер", "Пим", "Плот", "Полоз", "Пряник", "Пух", "Рассох", "Реп", "Рог", "Рыж",
			"Сазон", "Свир", "Сед", "Сем", "Сизов", "Синиц", "Скобел", "Слив", "Сокол", "Сом", "Стрелк", "Суш", "Сыч",
			"Тарас", "Твердохлеб", "Терн", "Тимош", "Толокн", "Троф", "Тур", "Углов", "Ус", "Фед", "Филат", "Фом",
			"Хвост", "Хмел", "Холод", "Цвет", "Чайк", "Черемис", "Чиж", "Шапош", "Шевел", "Шил", "Шум", "Щеглов", "Щук",
			"Юрл", "Ягод", "Ямщик", "Ясен");

	/** What makes a root into more surnames: Белоозёров, Новожуков. */
	static final List<String> PREFIXES = List.of("", "Бело", "Черно", "Ново", "Старо", "Красно", "Добро", "Велико",
			"Мало", "Криво");

	static final List<String[]> ENDINGS = List.of(new String[] { "ов", "ова" }, new String[] { "ин", "ина" },
			new String[] { "ев", "ева" }, new String[] { "ский", "ская" }, new String[] { "енко", "енко" },
			new String[] { "ук", "ук" }, new String[] { "ых", "ых" }, new String[] { "ёнок", "ёнок" },
			new String[] { "ович", "ович" }, new String[] { "ик", "ик" });

	static final List<String> MEN = List.of("Аркадий", "Богдан", "Вадим", "Всеволод", "Глеб", "Гордей", "Демид",
			"Елисей", "Ефим", "Захар", "Игнат", "Касьян", "Клим", "Лука", "Мирон", "Назар", "Остап", "Платон", "Прохор",
			"Ростислав", "Савва", "Святослав", "Тихон", "Трофим", "Фрол", "Харитон", "Эмиль", "Ярослав", "Арсений",
			"Венедикт", "Добрыня", "Емельян", "Лев", "Марат", "Никанор", "Павел", "Роман", "Станислав", "Тимур",
			"Фёдор");

	static final List<String> WOMEN = List.of("Агата", "Алёна", "Василиса", "Вероника", "Глафира", "Дарина", "Ева",
			"Есения", "Злата", "Зоя", "Илона", "Кира", "Лада", "Лилия", "Милана", "Мирослава", "Нелли", "Оксана",
			"Полина", "Прасковья", "Регина", "Сабина", "Снежана", "Стефания", "Таисия", "Ульяна", "Устинья", "Фаина",
			"Эвелина", "Ярослава", "Аглая", "Божена", "Виталина", "Герда", "Дана", "Инга", "Камилла", "Лина",
			"Маргарита", "Римма");

	private GeneratedPatients() {
	}

	/**
	 * The application on a database of its own with a small demo (logins, branches, a
	 * little of everything), for a benchmark to add its own data to.
	 */
	public static ConfigurableApplicationContext smallDemo(String database) {
		return new SpringApplicationBuilder(KlinikaApplication.class).profiles("test")
			.run("--server.port=0", "--spring.jmx.enabled=false", "--klinika.embedded-db.database=" + database,
					"--klinika.demo.enabled=true", "--klinika.demo.patients=2000", "--klinika.demo.appointments=2000");
	}

	/** The demo admin's (first) branch. */
	public static long adminBranch(JdbcClient jdbc) {
		return jdbc.sql("""
				select ub.branch_id from user_branch ub join app_user u on u.id = ub.user_id
				 where u.username = 'admin' order by ub.branch_id limit 1
				""").query(Long.class).single();
	}

	/** Inserts {@code count} patients of {@code branch}, created by "bench". */
	public static void insert(JdbcClient jdbc, long branch, int count) {
		List<String> male = new ArrayList<>();
		List<String> female = new ArrayList<>();
		for (String prefix : PREFIXES) {
			for (String root : ROOTS) {
				for (String[] ending : ENDINGS) {
					String stem = prefix.isEmpty() ? root : prefix + root.toLowerCase(Locale.ROOT);
					male.add(stem + ending[0]);
					female.add(stem + ending[1]);
				}
			}
		}
		// A long tail: the surname of rank r (of 14,000 a sex) is drawn with the
		// probability of floor(N u^2) = r: the commonest is 0.85 % of the cards, the
		// first hundred 8.5 % (as in a Russian city, where Смирнов is about 1 %); names
		// evenly from 40 a sex.
		jdbc.sql("""
				insert into patient (surname, name, patronymic, sex, home_branch_id, created_by)
				select case when f then fs[s] else ms[s] end, case when f then fn[n] else mn[n] end,
				       mn[1 + (g * 7) % array_length(mn, 1)] || case when f then 'овна' else 'ович' end,
				       case when f then 'F' else 'M' end, :branch, 'bench'
				  from generate_series(1, :count) g
				  cross join (select string_to_array(:ms, ',') ms, string_to_array(:fs, ',') fs,
				                     string_to_array(:mn, ',') mn, string_to_array(:fn, ',') fn) lists
				  cross join lateral (select g as card, random() < 0.55 as f,
				         1 + floor(array_length(ms, 1) * power(random(), 2))::int as s,
				         1 + floor(array_length(mn, 1) * random())::int as n) pick
				""")
			.param("branch", branch)
			.param("count", count)
			.param("ms", String.join(",", male))
			.param("fs", String.join(",", female))
			.param("mn", String.join(",", MEN))
			.param("fn", String.join(",", WOMEN))
			.update();
	}

	/**
	 * Inserts {@code count} calls of a year into {@code branch}, one every 315 seconds
	 * back from now: a fifth outgoing, a fifth of the incoming missed, 70 % from a known
	 * card.
	 */
	static void insertCalls(JdbcClient jdbc, long branch, int count) {
		jdbc.sql("""
				insert into call (vendor, vendor_call_id, direction, caller, called, patient_id, employee, started_at,
				                  answered_at, ended_at, branch_id)
				select 'bench', 'b' || g, case when g % 5 = 0 then 'OUT' else 'IN' end,
				       '+7916' || lpad((g * 7919 % 10000000)::text, 7, '0'), '+74950000001',
				       case when g % 10 < 7 then (select min(id) from patient) + g * 9 end,
				       '10' || (g % 5), t.at, case when g % 5 <> 1 then t.at + interval '10 seconds' end,
				       t.at + interval '3 minutes', :branch
				  from generate_series(1, :count) g
				  cross join lateral (select now() - (g * 315) * interval '1 second' as at) t
				""").param("branch", branch).param("count", count).update();
	}

}
