/**
 * Logins, roles and branch scope, the permission matrix, brute-force protection and the
 * append-only audit log that every module writes to.
 */
@org.jspecify.annotations.NullMarked
package dev.klinika.security;
