package dev.klinika.telephony;

import org.springframework.stereotype.Component;

import dev.klinika.security.ScopedRecords;
import dev.klinika.tasks.CauseAccess;

/** A task may name a call of the login's branches, or of a line no branch owns. */
@Component
class CallCauseAccess implements CauseAccess {

	private final ScopedRecords scoped;

	CallCauseAccess(ScopedRecords scoped) {
		this.scoped = scoped;
	}

	@Override
	public String type() {
		return "call";
	}

	@Override
	public boolean visible(long id) {
		return this.scoped.visibleOrUnowned(id, CallHandling.BRANCH_OF_CALL);
	}

}
