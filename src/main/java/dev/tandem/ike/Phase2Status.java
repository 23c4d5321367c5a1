package dev.tandem.ike;

/** One negotiated pair of ESP SAs: its connection, the phase 1 it came from ("icookie:rcookie") and its SPIs. */
public record Phase2Status(String connection, String phase1Cookies, int inboundSpi, int outboundSpi,
                           String transform, boolean pfs, long ageSeconds, long lifeSeconds) { }
