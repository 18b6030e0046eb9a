package dev.klinika.leads;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;

/**
 * Which of the clinic's ad sources a form's {@code utm_source} means: the marketer maps
 * tags ("vk", "yandex") to sources; a tag nobody mapped still finds a source of the same
 * name ("ВКонтакте"), case and punctuation aside.
 */
@Service
@Transactional
class UtmSources {

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final dev.klinika.patients.PatientSources sources;

	UtmSources(JdbcClient jdbc, AuditLog audit, dev.klinika.patients.PatientSources sources) {
		this.sources = sources;
		this.jdbc = jdbc;
		this.audit = audit;
	}

	/** A tag and the source it means. */
	public record Mapping(String tag, long sourceId, String source) {
	}

	@Transactional(readOnly = true)
	public List<Mapping> mappings() {
		return this.jdbc
			.sql("""
					select m.tag, m.source_id, s.name as source from lead_utm_source m join patients_source_v s on s.id = m.source_id
					 order by m.tag
					""")
			.query(Mapping.class)
			.list();
	}

	/** The source a tag means, if the clinic mapped it or keeps a source of that name. */
	@Transactional(readOnly = true)
	public Optional<Long> sourceOf(@Nullable String utmSource) {
		if (utmSource == null || utmSource.isBlank()) {
			return Optional.empty();
		}
		String tag = utmSource.strip().toLowerCase(Locale.ROOT);
		return this.jdbc.sql("select source_id from lead_utm_source where tag = :tag")
			.param("tag", tag)
			.query(Long.class)
			.optional()
			.or(() -> this.jdbc
				.sql("""
						select id from patients_source_v
						 where regexp_replace(lower(name), '[^[:alnum:]]', '', 'g') = regexp_replace(:tag, '[^[:alnum:]]', '', 'g')
						 order by active desc, id limit 1
						""")
				.param("tag", tag)
				.query(Long.class)
				.optional());
	}

	/** Maps a tag to a source; no source removes the mapping. */
	public void map(String utmSource, @Nullable Long sourceId) {
		String tag = utmSource == null ? "" : utmSource.strip().toLowerCase(Locale.ROOT);
		if (tag.isEmpty() || tag.length() > 200) {
			throw new Leads.LeadRefused("UTM_TAG");
		}
		if (sourceId == null) {
			this.jdbc.sql("delete from lead_utm_source where tag = :tag").param("tag", tag).update();
			this.audit.record("UTM_SOURCE_REMOVED", "lead_utm_source", null, tag);
			return;
		}
		boolean known = this.sources.existsById(sourceId);
		if (!known) {
			throw new Leads.LeadRefused("UNKNOWN_SOURCE");
		}
		this.jdbc.sql("""
				insert into lead_utm_source (tag, source_id) values (:tag, :source)
				on conflict (tag) do update set source_id = excluded.source_id
				""").param("tag", tag).param("source", sourceId).update();
		this.audit.record("UTM_SOURCE_MAPPED", "lead_utm_source", null, tag + " = " + sourceId);
	}

}
