package dev.klinika.care;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;

/**
 * How long a pathway waits for its next booking before it stalls, and how long a stalled
 * one waits before it counts as abandoned: the clinic's default, and per service category
 * where the category's course runs to another rhythm (a dental plan waits longer than a
 * massage course).
 */
@Component
class CareSettings {

	static final int MAX_STALL = 365;

	static final int MAX_ABANDON = 730;

	private final JdbcClient jdbc;

	private final AuditLog audit;

	CareSettings(JdbcClient jdbc, AuditLog audit) {
		this.jdbc = jdbc;
		this.audit = audit;
	}

	/**
	 * A row of the screen: the default (no category) or a category, with its own days or
	 * none (then the default's hold).
	 */
	record Wait(@Nullable Long categoryId, String name, @Nullable Integer stallDays, @Nullable Integer abandonDays) {
	}

	/** The default first, then every active category in the catalog's order. */
	@Transactional(readOnly = true)
	List<Wait> waits() {
		return this.jdbc.sql("""
				select null::bigint as category_id, '' as name, s.stall_days, s.abandon_days, -1 as position
				  from care_setting s where s.category_id is null
				union all
				select c.id, c.name, s.stall_days, s.abandon_days, c.position
				  from catalog_category_v c left join care_setting s on s.category_id = c.id
				 where c.active or s.id is not null
				order by position, name
				""")
			.query((rs, n) -> new Wait((Long) rs.getObject(1), rs.getString(2), (Integer) rs.getObject(3),
					(Integer) rs.getObject(4)))
			.list();
	}

	/** A row as typed: the category ("" for the default) and the two numbers as text. */
	record Typed(String category, String stall, String abandon) {
	}

	/**
	 * Saves every row at once, or none: each number whole and in range, a stalled pathway
	 * abandoned no sooner than it stalls; a category's row left empty follows the
	 * default.
	 */
	@Transactional
	void save(List<Typed> rows) {
		record Parsed(@Nullable Long category, @Nullable Integer stall, @Nullable Integer abandon) {
		}
		List<Parsed> parsed = new ArrayList<>();
		List<Long> known = this.jdbc.sql("select id from catalog_category_v").query(Long.class).list();
		boolean sawDefault = false;
		for (int i = 0; i < rows.size(); i++) {
			Typed row = rows.get(i);
			int line = i + 1;
			Long category = null;
			if (!row.category().isBlank()) {
				if (!row.category().matches("\\d{1,18}") || !known.contains(Long.valueOf(row.category()))) {
					throw new CareRefused("care.refused.settingsCategory", line);
				}
				category = Long.valueOf(row.category());
			}
			else {
				sawDefault = true;
			}
			Integer stall = number(row.stall(), MAX_STALL, line);
			Integer abandon = number(row.abandon(), MAX_ABANDON, line);
			if ((stall == null) != (abandon == null) || (category == null && stall == null)) {
				throw new CareRefused("care.refused.settingsBoth", line);
			}
			if (stall != null && abandon < stall) {
				throw new CareRefused("care.refused.settingsOrder", line);
			}
			parsed.add(new Parsed(category, stall, abandon));
		}
		if (!sawDefault) {
			throw new CareRefused("care.refused.settingsBoth", 1);
		}
		for (Parsed row : parsed) {
			if (row.category() == null) {
				this.jdbc.sql(
						"update care_setting set stall_days = :stall, abandon_days = :abandon where category_id is null")
					.param("stall", row.stall())
					.param("abandon", row.abandon())
					.update();
			}
			else if (row.stall() == null) {
				this.jdbc.sql("delete from care_setting where category_id = :category")
					.param("category", row.category())
					.update();
			}
			else {
				this.jdbc
					.sql("""
							insert into care_setting (category_id, stall_days, abandon_days) values (:category, :stall, :abandon)
							on conflict (category_id) do update set stall_days = excluded.stall_days, abandon_days = excluded.abandon_days
							""")
					.param("category", row.category())
					.param("stall", row.stall())
					.param("abandon", row.abandon())
					.update();
			}
		}
		this.audit.record("CARE_SETTINGS_CHANGED", "care_setting", null,
				parsed.stream()
					.map(row -> (row.category() == null ? "default" : "category " + row.category()) + ": "
							+ (row.stall() == null ? "default" : row.stall() + "/" + row.abandon()))
					.collect(java.util.stream.Collectors.joining(", ")));
	}

	private static @Nullable Integer number(String typed, int max, int line) {
		String clean = typed.strip();
		if (clean.isEmpty()) {
			return null;
		}
		if (!clean.matches("\\d{1,4}") || Integer.parseInt(clean) < 1 || Integer.parseInt(clean) > max) {
			throw new CareRefused("care.refused.settingsDays", line, max);
		}
		return Integer.valueOf(clean);
	}

}
