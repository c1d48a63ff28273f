/** The u-blox SARA-R4 and SARA-R5 simulator dialects (AT-REFERENCE §3), written from the reference documents only. */
package dev.atmodem.testkit.sim.ublox;
