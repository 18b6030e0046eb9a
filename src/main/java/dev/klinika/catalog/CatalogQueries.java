package dev.klinika.catalog;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.Period;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.organization.ClinicProfile;
import dev.klinika.shared.Money;

/** The catalog as screens and other modules read it: services with today's price. */
@Component
public class CatalogQueries {

	private final JdbcClient jdbc;

	private final Clock clock;

	private final ClinicProfile clinic;

	CatalogQueries(JdbcClient jdbc, Clock clock, ClinicProfile clinic) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.clinic = clinic;
	}

	/**
	 * Services matching a piece of the code or name, a category and a specialty, with the
	 * price valid today. The price is the latest row of the history on or before today.
	 */
	public List<ServiceRow> services(@Nullable String text, @Nullable Long categoryId, @Nullable Long specialtyId,
			boolean includeInactive) {
		String like = text == null || text.isBlank() ? null : "%"
				+ text.trim().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
				+ "%";
		Currency currency = this.clinic.current().getCurrency();
		return this.jdbc.sql("""
				select s.id, s.code, s.name, s.duration_minutes, s.repeat_interval, s.active,
				       c.name as category, sp.name as specialty,
				       (select p.price from service_price p where p.service_id = s.id and p.valid_from <= :today
				         order by p.valid_from desc limit 1) as price
				  from service s
				  join organization_specialty_v sp on sp.id = s.specialty_id
				  left join service_category c on c.id = s.category_id
				 where (:like::text is null or lower(s.code || ' ' || s.name) like :like)
				   and (:category::bigint is null or s.category_id = :category)
				   and (:specialty::bigint is null or s.specialty_id = :specialty)
				   and (:includeInactive or s.active)
				 order by s.active desc, c.position nulls last, lower(c.name), lower(s.name)
				""")
			.param("today", today())
			.param("like", like)
			.param("category", categoryId)
			.param("specialty", specialtyId)
			.param("includeInactive", includeInactive)
			.query((rs, row) -> new ServiceRow(rs.getLong("id"), rs.getString("code"), rs.getString("name"),
					rs.getString("category"), rs.getString("specialty"), rs.getInt("duration_minutes"),
					rs.getString("repeat_interval") == null ? null : Period.parse(rs.getString("repeat_interval")),
					money(rs.getBigDecimal("price"), currency), rs.getBoolean("active")))
			.list();
	}

	/**
	 * The names of services by id, for screens that list them beside other modules' data.
	 */
	public java.util.Map<Long, String> names(java.util.Collection<Long> ids) {
		java.util.Map<Long, String> names = new java.util.HashMap<>();
		if (!ids.isEmpty()) {
			this.jdbc.sql("select id, name from service where id in (:ids)")
				.param("ids", ids)
				.query((rs, n) -> names.put(rs.getLong(1), rs.getString(2)))
				.list();
		}
		return names;
	}

	/** The price of a service on a day, if it had one then. */
	public Optional<Money> priceOn(long serviceId, LocalDate day) {
		return this.jdbc.sql("""
				select price from service_price where service_id = :id and valid_from <= :day
				 order by valid_from desc limit 1
				""")
			.param("id", serviceId)
			.param("day", day)
			.query(BigDecimal.class)
			.optional()
			.map(price -> new Money(price, this.clinic.current().getCurrency()));
	}

	/**
	 * The price of the service named by the placeholder that a bill of {@code :day}
	 * charges: the latest on or before the day, else the first.
	 */
	private static final String BILLED_PRICE = """
			select price from service_price sp where sp.service_id = %s
			 order by sp.valid_from <= :day desc, case when sp.valid_from <= :day then sp.valid_from end desc, sp.valid_from
			 limit 1
			""";

	/**
	 * The price a bill of that day charges: the price on the day, or, for a day before
	 * the service had any price (a visit from an imported history), its first price.
	 */
	public Optional<Money> billedPriceOn(long serviceId, LocalDate day) {
		return this.jdbc.sql(BILLED_PRICE.formatted(":id"))
			.param("id", serviceId)
			.param("day", day)
			.query(BigDecimal.class)
			.optional()
			.map(price -> new Money(price, this.clinic.current().getCurrency()));
	}

	/**
	 * Active services with the price a bill of a day charges ({@link #billedPriceOn}), by
	 * name, with that price: what a bill of that day may list.
	 */
	public List<PricedService> pricedOn(LocalDate day) {
		Currency currency = this.clinic.current().getCurrency();
		return this.jdbc.sql("""
				select s.id, s.code, s.name, p.price from service s join lateral (%s) p on true
				 where s.active order by s.name
				""".formatted(BILLED_PRICE.formatted("s.id")))
			.param("day", day)
			.query((rs, n) -> new PricedService(rs.getLong("id"), rs.getString("code"), rs.getString("name"),
					new Money(rs.getBigDecimal("price"), currency)))
			.list();
	}

	/** A service and its price on the day asked for. */
	public record PricedService(long id, String code, String name, Money price) {
	}

	/** Every price is in the clinic's currency. */
	private static @Nullable Money money(@Nullable BigDecimal amount, Currency currency) {
		return amount == null ? null : new Money(amount, currency);
	}

	/** Every price a service had, newest first. */
	public List<PriceEntry> priceHistory(long serviceId) {
		Currency currency = this.clinic.current().getCurrency();
		return this.jdbc.sql("""
				select valid_from, price, created_at, created_by from service_price
				 where service_id = :id order by valid_from desc
				""")
			.param("id", serviceId)
			.query((rs, n) -> new PriceEntry(rs.getObject("valid_from", LocalDate.class),
					new Money(rs.getBigDecimal("price"), currency),
					rs.getObject("created_at", java.time.OffsetDateTime.class), rs.getString("created_by")))
			.list();
	}

	private LocalDate today() {
		return LocalDate.now(this.clock);
	}

	/** A service in a list. */
	public record ServiceRow(long id, String code, String name, @Nullable String category, String specialty,
			int durationMinutes, @Nullable Period repeatInterval, @Nullable Money price, boolean active) {
	}

	/** One price of a service and since when it holds. */
	public record PriceEntry(LocalDate validFrom, Money price, java.time.OffsetDateTime createdAt,
			@Nullable String createdBy) {
	}

}
