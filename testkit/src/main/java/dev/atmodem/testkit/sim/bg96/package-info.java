/** The Quectel BG96 dialect, written from shared/AT-REFERENCE.md §0-§1 and shared/QUIRKS.md. */
package dev.atmodem.testkit.sim.bg96;
