package dev.klinika.telephony;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.klinika.shared.PlainText;

/**
 * One thing a PBX reported about a call, in Klinika's words whatever the vendor: the
 * vendor's ids of the event and the call, what happened and when, and what it knew.
 *
 * @param caller the calling number as sent (any format; null when hidden)
 * @param called the called number as sent
 * @param employee the extension or person it rang at or was answered by
 */
public record CallEvent(String vendor, String eventId, String callId, Kind kind, Instant at, Direction direction,
		@Nullable String caller, @Nullable String called, @Nullable String employee, @Nullable String recordingUrl) {

	public CallEvent {
		// No text column takes a NUL; nothing else in a vendor's text is changed.
		eventId = PlainText.storable(eventId);
		callId = PlainText.storable(callId);
		caller = PlainText.storable(caller);
		called = PlainText.storable(called);
		employee = PlainText.storable(employee);
		recordingUrl = PlainText.storable(recordingUrl);
		if (vendor.isBlank() || eventId.isBlank() || callId.isBlank()) {
			throw new IllegalArgumentException("An event needs a vendor, its id and the call's id");
		}
		if (eventId.length() > 200 || callId.length() > 200) {
			throw new IllegalArgumentException("event_id, call_id: at most 200 characters");
		}
		if (employee != null && employee.length() > 100) {
			throw new IllegalArgumentException("employee: at most 100 characters");
		}
		if (caller != null && caller.length() > 100 || called != null && called.length() > 100) {
			throw new IllegalArgumentException("caller, called: at most 100 characters");
		}
		if (recordingUrl != null && recordingUrl.length() > 1000) {
			throw new IllegalArgumentException("recording_url: at most 1000 characters");
		}
	}

	/** What happened. */
	public enum Kind {

		STARTED, RINGING, ANSWERED, ENDED, MISSED, RECORDING

	}

	/** Who called whom. */
	public enum Direction {

		IN, OUT

	}

}
