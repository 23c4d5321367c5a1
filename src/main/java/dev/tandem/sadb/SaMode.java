package dev.tandem.sadb;

/** How an SA wraps its packets. */
public enum SaMode { TUNNEL, TRANSPORT }
