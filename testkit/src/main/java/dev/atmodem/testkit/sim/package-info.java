/**
 * The dialect-independent simulator framework: {@link dev.atmodem.testkit.sim.ModemSimulator} (the entry point), the
 * command reader, echo and CMEE formatting, baud-rate pacing and fragmentation ({@link
 * dev.atmodem.testkit.sim.LinkConditions}), {@link dev.atmodem.testkit.sim.Faults}, {@link
 * dev.atmodem.testkit.sim.Stats}, loopback-only network sockets ({@link dev.atmodem.testkit.sim.SimConnection}) and the
 * modem's DNS ({@link dev.atmodem.testkit.sim.NameTable}). A modem family is a {@link dev.atmodem.testkit.sim.Dialect}
 * on top, registered in {@link dev.atmodem.testkit.sim.Dialects}.
 */
package dev.atmodem.testkit.sim;
