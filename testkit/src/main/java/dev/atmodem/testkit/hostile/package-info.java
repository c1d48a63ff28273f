/**
 * A hostile or broken modem in front of any simulator dialect: replaced answers, injected bytes, swallowed prompts,
 * for the hostile-input tests and the drivers' fuzz targets.
 */
package dev.atmodem.testkit.hostile;
