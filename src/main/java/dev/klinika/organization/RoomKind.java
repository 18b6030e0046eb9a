package dev.klinika.organization;

/** What a room is for: services that need a gym or a device book a room of that kind. */
public enum RoomKind {

	CABINET, PROCEDURE, GYM, MASSAGE, DENTAL_CHAIR, DIAGNOSTIC, DEVICE

}
