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
public final class BranchTime {

	private BranchTime() {
	}

	public static Instant of(OffsetDateTime time, ZoneId zone) {
		ZoneOffset offset = time.getOffset();
		if (!offset.equals(ZoneOffset.UTC) && !zone.getRules().getOffset(time.toInstant()).equals(offset)) {
			throw new BookingRefused("ZONE_MISMATCH");
		}
		return time.toInstant();
	}

}
