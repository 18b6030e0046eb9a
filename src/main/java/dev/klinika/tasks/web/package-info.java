/**
 * The task screens: my tasks, the branch's, overdue, a task with its comments, the rules.
 */
@org.jspecify.annotations.NullMarked
package dev.klinika.tasks.web;
