package dev.klinika.patients;

/**
 * A section another module adds to the patient's card: the Thymeleaf fragment that draws
 * it ({@code template :: fragment}, which reads {@code panel.data}) and what it draws.
 * The card knows nothing of the module; the module knows nothing of the card's layout.
 */
public record CardPanel(String template, String fragment, Object data) {
}
