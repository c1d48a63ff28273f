/** Exposing a simulator as a TCP "remote serial port" or a pseudo-terminal, and the command-line entry point. */
package dev.atmodem.testkit.expose;
