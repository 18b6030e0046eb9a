package dev.klinika.leads;

import org.springframework.stereotype.Component;

import dev.klinika.security.CurrentUser;
import dev.klinika.tasks.CauseAccess;

/** A task may name a lead the login sees on its board. */
@Component
class LeadCauseAccess implements CauseAccess {

	private final LeadQueries queries;

	private final CurrentUser currentUser;

	LeadCauseAccess(LeadQueries queries, CurrentUser currentUser) {
		this.queries = queries;
		this.currentUser = currentUser;
	}

	@Override
	public String type() {
		return "lead";
	}

	@Override
	public boolean visible(long id) {
		return this.queries.find(id, this.currentUser.scope()).isPresent();
	}

}
