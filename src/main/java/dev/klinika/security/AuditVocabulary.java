package dev.klinika.security;

import java.util.List;

/**
 * What the audit log records, for its filters and its words: every action a module writes
 * ({@code audit.action.<code>} in the messages) and the kinds of records they name
 * ({@code audit.type.<type>}). A test reads the sources so that a new action cannot
 * appear without its words.
 */
final class AuditVocabulary {

	/**
	 * Actions, grouped as staff think of them: logins, patients, visits, tasks, calls...
	 */
	static final List<String> ACTIONS = List.of("LOGIN", "LOGIN_FAILED", "LOGIN_LOCKED", "LOGIN_DURING_LOCK",
			"USER_CREATED", "USER_CHANGED", "USER_DISABLED", "USER_ENABLED", "PATIENT_VIEWED", "PATIENT_CREATED",
			"PATIENT_CHANGED", "PATIENT_DISCARDED", "PATIENT_ERASED", "PATIENT_MERGED", "PATIENT_EXPORTED",
			"PATIENTS_EXPORTED", "PATIENTS_IMPORTED", "PATIENTS_NOT_DUPLICATES", "IMPORT_UPLOADED", "CONSENT_GIVEN",
			"CONSENT_WITHDRAWN", "RELATIVE_LINKED", "RELATIVE_UNLINKED", "MESSAGES_OPT_OUT_ALL",
			"MESSAGES_OPT_OUT_MARKETING", "MESSAGES_OPT_IN_ALL", "MESSAGES_OPT_IN_MARKETING", "APPOINTMENT_VIEWED",
			"APPOINTMENT_BOOKED", "APPOINTMENT_MOVED", "APPOINTMENT_CONFIRMED", "APPOINTMENT_CHECKED_IN",
			"APPOINTMENT_IN_PROGRESS", "APPOINTMENT_COMPLETED", "APPOINTMENT_NO_SHOW", "APPOINTMENT_CANCELLED",
			"WAITING_ADDED", "WAITING_REMOVED", "WORK_PATTERN_SET", "WORK_EXCEPTION_SET", "WORK_EXCEPTION_REMOVED",
			"ABSENCE_ADDED", "ABSENCE_REMOVED", "STAFF_DURATION_SET", "CALENDAR_LINK_CREATED", "TASK_CREATED",
			"TASK_STARTED", "TASK_DONE", "TASK_CANCELLED", "TASK_POSTPONED", "TASK_REASSIGNED", "CALL_OUT_LIST",
			"CALL_HANDLED", "CALL_TAGGED", "CALL_RECORDING_PLAYED", "PHONE_LINE_SAVED", "PBX_EXTENSION_SAVED",
			"LEAD_VIEWED", "LEAD_CHANGED", "LEAD_MOVED", "LEAD_LOST", "LOST_REASON_ADDED", "LOST_REASON_CHANGED",
			"UTM_SOURCE_MAPPED", "UTM_SOURCE_REMOVED", "MESSAGE_TEMPLATE_CHANGED", "MESSAGING_POLICY_CHANGED",
			"REMINDER_RULE_ADDED", "REMINDER_RULE_ON", "REMINDER_RULE_OFF", "CLINIC_CHANGED", "CLINIC_LOGO_SET",
			"CLINIC_LOGO_REMOVED", "BRANCH_CREATED", "BRANCH_CHANGED", "BRANCH_ACTIVATED", "BRANCH_DEACTIVATED",
			"ROOM_CREATED", "ROOM_CHANGED", "ROOM_ACTIVATED", "ROOM_DEACTIVATED", "STAFF_VIEWED", "STAFF_CREATED",
			"STAFF_CHANGED", "STAFF_DISMISSED", "STAFF_REINSTATED", "SPECIALTY_CREATED", "SPECIALTY_CHANGED",
			"SPECIALTY_ACTIVATED", "SPECIALTY_DEACTIVATED", "SERVICE_CREATED", "SERVICE_CHANGED", "SERVICE_ACTIVATED",
			"SERVICE_DEACTIVATED", "PRICE_CHANGED", "CATEGORY_CREATED", "CATEGORY_CHANGED", "CATEGORY_ACTIVATED",
			"CATEGORY_DEACTIVATED", "SOURCE_CREATED", "SOURCE_ACTIVATED", "SOURCE_DEACTIVATED", "BILL_CREATED",
			"BILL_VIEWED", "BILL_LINE_ADDED", "BILL_LINE_REMOVED", "BILL_DISCOUNT", "BILL_VOIDED", "PAYMENT_RECEIVED",
			"PATHWAY_PRESCRIBED", "PATHWAY_VIEWED", "PATHWAY_ACCEPTED", "PATHWAY_DECLINED", "PATHWAY_ABANDONED",
			"PATHWAY_ASSIGNED", "PATHWAY_MESSAGED", "PATHWAY_LIST_VIEWED", "CARE_SETTINGS_CHANGED",
			"PREPAYMENT_RECEIVED", "ADVANCE_RECEIVED", "ADVANCE_RETURNED", "PAYMENT_REFUNDED",
			"BILLING_SETTINGS_CHANGED", "DISCOUNT_REASON_ADDED", "DISCOUNT_REASON_ON", "DISCOUNT_REASON_OFF",
			"CASH_SHIFT_OPENED", "CASH_SHIFT_CLOSED", "CASH_PAID_IN", "CASH_PAID_OUT", "CASH_REPORT_EXPORTED",
			"PACKAGE_PRODUCT_CREATED", "PACKAGE_PRODUCT_CHANGED", "PACKAGE_PRODUCT_ACTIVATED",
			"PACKAGE_PRODUCT_DEACTIVATED", "BILL_PACKAGE", "PACKAGE_SOLD", "PACKAGE_VIEWED", "PACKAGE_RETURNED",
			"PACKAGE_BURNED", "PACKAGE_FROZEN", "PACKAGE_REFUNDED", "PACKAGE_EXPIRED");

	static final List<String> RECORD_TYPES = List.of("patient", "appointment", "task", "call", "lead", "user",
			"address", "staff", "service", "category", "branch", "room", "specialty", "source", "import",
			"waiting_entry", "lead_utm_source", "reminder_rule", "phone_line", "pbx_employee", "messaging_policy",
			"message_template", "lost_reason", "clinic", "bill", "billing", "cash_shift", "package_product", "package",
			"pathway", "care_setting");

	private AuditVocabulary() {
	}

	/** The page a record opens on, for the kinds of records that have one. */
	static @org.jspecify.annotations.Nullable String linkOf(String type, String id) {
		if (!id.chars().allMatch(Character::isDigit) || id.isEmpty()) {
			return null;
		}
		return switch (type) {
			case "patient" -> "/patients/" + id;
			case "appointment" -> "/scheduling/appointments/" + id;
			case "task" -> "/tasks/" + id;
			case "lead" -> "/leads/" + id;
			case "staff" -> "/organization/staff/" + id;
			case "service" -> "/catalog/services/" + id;
			case "branch" -> "/organization/branches/" + id;
			case "bill" -> "/billing/bills/" + id;
			case "cash_shift" -> "/billing/cash/shifts/" + id;
			case "package_product" -> "/catalog/packages/" + id;
			case "package" -> "/billing/packages/" + id;
			case "pathway" -> "/care/pathways/" + id;
			default -> null;
		};
	}

}
