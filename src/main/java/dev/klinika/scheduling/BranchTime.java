package dev.klinika.scheduling;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A time sent by a client, checked against the branch's zone: UTC ({@code Z}) or the
 * branch's own offset at that moment are unambiguous; any other offset means the client
 * took its own zone for the branch's (a phone in Moscow booking in Yekaterinburg), and is
 * refused rather than booked three hours off.
 */
final class BranchTime {

	private BranchTime() {
	}

	public static Instant of(@org.jspecify.annotations.Nullable OffsetDateTime time, ZoneId zone) {
		if (time == null) {
			throw new BookingRefused("START_REQUIRED");
		}
		ZoneOffset offset = time.getOffset();
		if (!offset.equals(ZoneOffset.UTC) && !zone.getRules().getOffset(time.toInstant()).equals(offset)) {
			throw new BookingRefused("ZONE_MISMATCH");
		}
		return time.toInstant();
	}

	/**
	 * A day and wall-clock time in the branch's zone. A time the clocks skip that day
	 * (02:30 when they go forward) is refused; a time they show twice (when they go back)
	 * is the first of the two.
	 */
	public static Instant local(java.time.LocalDate day, java.time.LocalTime time, ZoneId zone) {
		java.time.LocalDateTime local = day.atTime(time);
		if (zone.getRules().getValidOffsets(local).isEmpty()) {
			throw new BookingRefused("NO_SUCH_TIME");
		}
		return local.atZone(zone).toInstant();
	}

}
