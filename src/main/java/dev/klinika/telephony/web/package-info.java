/** The PBX webhooks and the calls screen. */
@org.jspecify.annotations.NullMarked
package dev.klinika.telephony.web;
