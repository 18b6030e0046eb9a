/**
 * Value types that every module needs: phone numbers, money, a concurrent-change refusal,
 * and the form checks that turn typed phones and zones into them. Nothing else.
 */
@org.jspecify.annotations.NullMarked
package dev.klinika.shared;
