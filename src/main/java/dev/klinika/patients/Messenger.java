package dev.klinika.patients;

/** Messengers a card keeps a handle for. */
public enum Messenger {

	TELEGRAM, WHATSAPP, VIBER, VK

}
