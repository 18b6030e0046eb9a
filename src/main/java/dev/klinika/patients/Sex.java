package dev.klinika.patients;

/** Sex as the card records it; unknown is {@code null}. */
public enum Sex {

	F, M

}
