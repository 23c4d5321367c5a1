package dev.tandem.conf.ipsec;

/** An explicit phase 1 or phase 2 lifetime in seconds. */
public record Lifetime(int seconds) {
}
