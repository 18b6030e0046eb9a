package dev.klinika.tasks.web;

import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

import dev.klinika.security.CurrentUser;
import dev.klinika.tasks.TaskQueries;

/** The top bar's task counters on every screen of a logged-in person. */
@ControllerAdvice(annotations = org.springframework.stereotype.Controller.class)
class TaskCounters {

	private final TaskQueries queries;

	private final CurrentUser currentUser;

	TaskCounters(TaskQueries queries, CurrentUser currentUser) {
		this.queries = queries;
		this.currentUser = currentUser;
	}

	@ModelAttribute("taskCounters")
	TaskQueries.@Nullable Counters counters() {
		return this.currentUser.get().map(this.queries::counters).orElse(null);
	}

}
