/** The leads' screens and the website form's endpoint. */
@org.jspecify.annotations.NullMarked
package dev.klinika.leads.web;
