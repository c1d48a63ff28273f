package dev.atmodem;

/** What the modem says it is. Empty strings where it did not say. */
public record ModemInfo(String manufacturer, String model, String revision, String imei) {
}
