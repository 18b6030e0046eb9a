package dev.klinika.tasks;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.klinika.security.Role;

/** A task as the screens show it, with the names of its patient, owner and branch. */
record Task(long id, String title, TaskKind kind, @Nullable Long patientId, @Nullable String patient, long branchId,
		String branch, @Nullable Long ownerUserId, @Nullable String ownerName, @Nullable Role ownerRole, Instant dueAt,
		TaskPriority priority, TaskStatus status, @Nullable String outcome, @Nullable String note,
		@Nullable String causeType, @Nullable Long causeId, @Nullable Long serviceId, @Nullable Long ruleId,
		@Nullable String createdBy, Instant createdAt, @Nullable String closedBy, @Nullable Instant closedAt,
		int version) {

	public boolean overdue(Instant now) {
		return !this.status.closed() && this.dueAt.isBefore(now);
	}

}
