package dev.klinika.patients;

/** How a patient prefers to be reached. */
enum Channel {

	PHONE, SMS, EMAIL, TELEGRAM, WHATSAPP, VIBER, VK

}
