/** The u-blox NINA-W1 / ODIN-W2 (u-connectXpress gen1) dialects: Wi-Fi station, peers, Extended Data Mode. */
package dev.atmodem.testkit.sim.nina;
