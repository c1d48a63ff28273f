/** Recorded AT sessions: the {@link dev.atmodem.testkit.replay.Transcript} format, replay and recording. */
package dev.atmodem.testkit.replay;
