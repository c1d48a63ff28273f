/** The JUnit 5 extension: {@link dev.atmodem.testkit.junit.SimulatedModem}. */
package dev.atmodem.testkit.junit;
