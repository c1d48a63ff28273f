package dev.atmodem.spi;

/** How the modem reaches the network. */
public enum Bearer { CELLULAR, WIFI }
