package dev.klinika.scheduling;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the booking screens show: the services a staff member does, the staff of a branch,
 * and one appointment with its names.
 */
@Component
@Transactional(readOnly = true)
class BookingQueries {

	private final JdbcClient jdbc;

	private final dev.klinika.patients.PatientSearch patients;

	private final dev.klinika.catalog.CatalogQueries catalog;

	private final dev.klinika.organization.OrganizationQueries organization;

	private final dev.klinika.organization.Rooms rooms;

	BookingQueries(JdbcClient jdbc, dev.klinika.patients.PatientSearch patients,
			dev.klinika.catalog.CatalogQueries catalog, dev.klinika.organization.OrganizationQueries organization,
			dev.klinika.organization.Rooms rooms) {
		this.jdbc = jdbc;
		this.patients = patients;
		this.catalog = catalog;
		this.organization = organization;
		this.rooms = rooms;
	}

	/** A service one can book, with the minutes it takes with a given staff member. */
	public record ServiceOption(long id, String name, int minutes, int capacity, long specialtyId) {
	}

	/**
	 * Active services of the staff member's specialties (or of every specialty in the
	 * branch when no staff member is given), with their own durations.
	 */
	public List<ServiceOption> services(@Nullable Long staffId, long branchId) {
		return this.jdbc
			.sql("""
					select sv.id, sv.name, coalesce(d.duration_minutes, sv.duration_minutes) as minutes, sv.capacity,
					       sv.specialty_id
					  from catalog_service_v sv
					  left join staff_service_duration d on d.service_id = sv.id and d.staff_id = :staff
					 where sv.active and sv.specialty_id in (
					       select ss.specialty_id from organization_staff_specialty_v ss join organization_staff_branch_v sb on sb.staff_id = ss.staff_id
					         join organization_staff_v s on s.id = ss.staff_id
					        where sb.branch_id = :branch and s.dismissed_on is null
					          and (:staff::bigint is null or ss.staff_id = :staff))
					 order by sv.name
					""")
			.param("staff", staffId)
			.param("branch", branchId)
			.query((rs, n) -> new ServiceOption(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getInt(4),
					rs.getLong(5)))
			.list();
	}

	/** A staff member as a choice. */
	public record StaffOption(long id, String name) {
	}

	/** Active staff of a branch, or those who do a service. */
	public List<StaffOption> staff(long branchId, @Nullable Long serviceId) {
		return this.jdbc
			.sql("""
					select s.id, s.full_name as name from organization_staff_v s join organization_staff_branch_v sb on sb.staff_id = s.id
					 where sb.branch_id = :branch and s.dismissed_on is null
					   and (:service::bigint is null or exists (select 1 from organization_staff_specialty_v ss join catalog_service_v sv
					        on sv.specialty_id = ss.specialty_id where ss.staff_id = s.id and sv.id = :service))
					 order by s.surname, s.name
					""")
			.param("branch", branchId)
			.param("service", serviceId)
			.query((rs, n) -> new StaffOption(rs.getLong(1), rs.getString(2)))
			.list();
	}

	/** The branches a staff member works in, the first they joined first. */
	public List<Long> branchesOf(long staffId) {
		return this.jdbc
			.sql("select branch_id from organization_staff_branch_v where staff_id = :id order by branch_id")
			.param("id", staffId)
			.query(Long.class)
			.list();
	}

	public Optional<String> staffName(long staffId) {
		return this.jdbc.sql("select s.full_name from organization_staff_v s where s.id = :id")
			.param("id", staffId)
			.query(String.class)
			.optional();
	}

	/** An appointment with the names the screen shows. */
	public record View(Appointment appointment, String patient, @Nullable String phone, String service, String staff,
			String branch, @Nullable String room, Instant createdAt, @Nullable String createdBy, String source,
			int seriesSize, int seriesNumber) {

		public @Nullable String phoneDisplay() {
			return this.phone == null ? null : new dev.klinika.shared.PhoneNumber(this.phone).display();
		}

	}

	/**
	 * The appointment's page: its own facts read here, the names from the modules that
	 * own them (patient, service, staff member, branch, room).
	 */
	public Optional<View> view(Appointment a) {
		record Own(OffsetDateTime createdAt, @Nullable String createdBy, String source, int seriesSize,
				int seriesNumber) {
		}
		return this.jdbc
			.sql("""
					select a.created_at, a.created_by, a.source,
					       (select count(*) from appointment x where x.series_id = a.series_id) as series_size,
					       (select count(*) from appointment x where x.series_id = a.series_id and lower(x.during) <= lower(a.during))
					           as series_number
					  from appointment a where a.id = :id
					""")
			.param("id", a.id())
			.query((rs, n) -> new Own(rs.getObject(1, OffsetDateTime.class), rs.getString(2), rs.getString(3),
					rs.getInt(4), rs.getInt(5)))
			.optional()
			.map(own -> {
				var patient = this.patients.briefs(java.util.Set.of(a.patientId())).get(a.patientId());
				String room = a.roomId() == null ? null
						: this.rooms.findById(a.roomId()).map(dev.klinika.organization.Room::getName).orElse(null);
				return new View(a, patient == null ? "—" : patient.name(), patient == null ? null : patient.phone(),
						this.catalog.names(java.util.Set.of(a.serviceId())).getOrDefault(a.serviceId(), "—"),
						this.organization.staffNames(java.util.Set.of(a.staffId())).getOrDefault(a.staffId(), "—"),
						this.organization.branchNames().getOrDefault(a.branchId(), "—"), room,
						own.createdAt().toInstant(), own.createdBy(), own.source(), own.seriesSize(),
						own.seriesNumber());
			});
	}

}
