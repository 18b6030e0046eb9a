package dev.klinika.scheduling;

/** Why a visit was cancelled: the clinic's list, so that reports can count them. */
enum CancelReason {

	PATIENT_ASKED, PATIENT_ILL, RESCHEDULED, STAFF_ABSENT, CLINIC, DUPLICATE, NO_ANSWER, OTHER;

	/** The reason for a code, or a refusal naming the list. */
	public static CancelReason of(String code) {
		for (CancelReason reason : values()) {
			if (reason.name().equals(code)) {
				return reason;
			}
		}
		throw new BookingRefused("CANCEL_REASON");
	}

}
