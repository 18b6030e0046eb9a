/** The login page, the users screen and the audit log screen. */
@org.jspecify.annotations.NullMarked
package dev.klinika.security.web;
