/**
 * The application shell: the layout's top bar and navigation, home pages per role,
 * language and branch switching, and error pages.
 */
@org.jspecify.annotations.NullMarked
package dev.klinika.workspace;
