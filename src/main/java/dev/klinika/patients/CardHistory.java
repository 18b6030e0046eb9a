package dev.klinika.patients;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.security.CurrentUser;

/**
 * The card's own history on the timeline: created, changed (field by field), consents,
 * merges, imports. Changes are stored one per line as "field TAB before TAB after".
 */
@Component
class CardHistory implements TimelineContributor {

	private final JdbcClient jdbc;

	private final CurrentUser currentUser;

	CardHistory(JdbcClient jdbc, CurrentUser currentUser) {
		this.jdbc = jdbc;
		this.currentUser = currentUser;
	}

	void add(long patientId, String kind, String summary) {
		this.jdbc.sql("insert into patient_timeline (patient_id, kind, summary, actor) values (:p, :k, :s, :a)")
			.param("p", patientId)
			.param("k", kind)
			.param("s", summary)
			.param("a", this.currentUser.actor())
			.update();
	}

	void changed(long patientId, List<TimelineEntry.Change> changes) {
		if (changes.isEmpty()) {
			return;
		}
		StringBuilder summary = new StringBuilder();
		for (TimelineEntry.Change change : changes) {
			summary.append(change.field())
				.append('\t')
				.append(clean(change.before()))
				.append('\t')
				.append(clean(change.after()))
				.append('\n');
		}
		add(patientId, "CHANGED", summary.toString());
	}

	@Override
	public List<TimelineEntry> entries(long patientId, Instant before, int limit) {
		return this.jdbc.sql("""
				select at, kind, summary, actor from patient_timeline
				 where patient_id = :p and at < :before order by at desc, id desc limit :limit
				""")
			.param("p", patientId)
			.param("before", before.atOffset(ZoneOffset.UTC))
			.param("limit", limit)
			.query((rs, row) -> toEntry(rs.getObject("at", java.time.OffsetDateTime.class).toInstant(),
					rs.getString("kind"), rs.getString("summary"), rs.getString("actor")))
			.list();
	}

	private static TimelineEntry toEntry(Instant at, String kind, String summary, @Nullable String actor) {
		if (!"CHANGED".equals(kind)) {
			return new TimelineEntry(at, kind, summary, List.of(), actor, null);
		}
		List<TimelineEntry.Change> changes = new ArrayList<>();
		for (String line : summary.split("\n")) {
			String[] parts = line.split("\t", -1);
			if (parts.length == 3) {
				changes.add(new TimelineEntry.Change(parts[0], emptyToNull(parts[1]), emptyToNull(parts[2])));
			}
		}
		return new TimelineEntry(at, kind, null, changes, actor, null);
	}

	private static String clean(@Nullable String value) {
		return value == null ? "" : value.replace('\t', ' ').replace('\n', ' ');
	}

	private static @Nullable String emptyToNull(String value) {
		return value.isEmpty() ? null : value;
	}

}
