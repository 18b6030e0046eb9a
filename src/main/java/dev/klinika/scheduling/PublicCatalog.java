package dev.klinika.scheduling;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.NoSuchElementException;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.catalog.MedicalServices;

/**
 * What the public booking shows without a login: open branches and the active services
 * someone in the branch does, with today's price. Anything else "does not exist".
 */
@Component
class PublicCatalog {

	private final JdbcClient jdbc;

	private final MedicalServices services;

	private final StaffDurations durations;

	private final Clock clock;

	PublicCatalog(JdbcClient jdbc, MedicalServices services, StaffDurations durations, Clock clock) {
		this.jdbc = jdbc;
		this.services = services;
		this.durations = durations;
		this.clock = clock;
	}

	/** A branch as a patient sees it. */
	record BranchInfo(long id, String name, String address, @Nullable String phone, ZoneId zone) {

		/** The phone as people write it: +7 495 123-45-67. */
		public @Nullable String phoneShown() {
			return this.phone == null ? null
					: dev.klinika.shared.PhoneNumber.parse(this.phone)
						.map(dev.klinika.shared.PhoneNumber::display)
						.orElse(this.phone);
		}

	}

	/** A service as a patient sees it. */
	record ServiceInfo(long id, String name, @Nullable String category, int minutes, @Nullable BigDecimal price,
			boolean group) {
	}

	/** The clinic's currency, for prices. */
	String currency() {
		return this.jdbc.sql("select currency from organization_clinic_v order by id limit 1")
			.query(String.class)
			.optional()
			.orElse("RUB");
	}

	List<BranchInfo> branches() {
		return this.jdbc
			.sql("select id, name, address, phone, time_zone from organization_branch_v where active order by name")
			.query((rs, n) -> new BranchInfo(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
					ZoneId.of(rs.getString(5))))
			.list();
	}

	BranchInfo branch(long id) {
		return branches().stream()
			.filter(branch -> branch.id() == id)
			.findFirst()
			.orElseThrow(() -> new NoSuchElementException("No open branch " + id));
	}

	List<ServiceInfo> services(long branchId) {
		LocalDate today = LocalDate.now(this.clock.withZone(branch(branchId).zone()));
		return this.jdbc
			.sql("""
					select sv.id, sv.name, c.name as category, sv.duration_minutes, sv.capacity,
					       (select p.price from catalog_service_price_v p where p.service_id = sv.id and p.valid_from <= :today
					         order by p.valid_from desc limit 1) as price
					  from catalog_service_v sv left join catalog_category_v c on c.id = sv.category_id
					 where sv.active and exists (select 1 from organization_staff_specialty_v ss join organization_staff_branch_v sb on sb.staff_id = ss.staff_id
					       join organization_staff_v s on s.id = ss.staff_id
					       where ss.specialty_id = sv.specialty_id and sb.branch_id = :branch and s.dismissed_on is null)
					 order by c.position nulls last, c.name, sv.name
					""")
			.param("branch", branchId)
			.param("today", today)
			.query((rs, n) -> new ServiceInfo(rs.getLong("id"), rs.getString("name"), rs.getString("category"),
					rs.getInt("duration_minutes"), rs.getBigDecimal("price"), rs.getInt("capacity") > 1))
			.list();
	}

	ServiceInfo service(long branchId, long serviceId) {
		return services(branchId).stream()
			.filter(service -> service.id() == serviceId)
			.findFirst()
			.orElseThrow(() -> new NoSuchElementException("No service " + serviceId + " in branch " + branchId));
	}

	Duration duration(long staffId, long serviceId) {
		return this.durations.of(staffId, this.services.findById(serviceId).orElseThrow());
	}

	/**
	 * The payment of a held order, as the money module starts it: the visit's day on the
	 * branch's calendar (its price's day), the end of the time kept while the patient
	 * pays, what the payment page says it is for, and Klinika's page the provider sends
	 * the patient back to.
	 */
	Prepayments.Order prepayment(OnlineBooking.Order order, long patientId) {
		java.time.ZoneId zone = branch(order.branchId()).zone();
		return new Prepayments.Order(java.util.Objects.requireNonNull(order.holdToken()), patientId, order.branchId(),
				order.serviceId(), order.staffId(), order.start(), order.start().atZone(zone).toLocalDate(),
				this.clock.instant().plus(SlotHolds.PAYMENT_HOLD), paymentReturn(),
				Prepayments.Order.describe(service(order.branchId(), order.serviceId()).name(), order.start(), zone));
	}

	/** Where a provider sends the patient back to, a payment's key to be added. */
	static String paymentReturn() {
		return org.springframework.web.servlet.support.ServletUriComponentsBuilder.fromCurrentContextPath()
			.path("/book/pay/")
			.toUriString();
	}

}
