/**
 * Screens for messages, the inbox, templates and reminder settings; patients' link pages
 * and webhooks.
 */
@org.jspecify.annotations.NullMarked
package dev.klinika.messaging.web;
