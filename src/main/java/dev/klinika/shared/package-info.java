/**
 * Value types that every module needs: phone numbers, money, a concurrent-change refusal.
 * Nothing else.
 */
@org.jspecify.annotations.NullMarked
package dev.klinika.shared;
