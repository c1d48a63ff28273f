/** The SIMCom SIM800 dialect of the modem simulator (AT-REFERENCE §2). */
package dev.atmodem.testkit.sim.sim800;
