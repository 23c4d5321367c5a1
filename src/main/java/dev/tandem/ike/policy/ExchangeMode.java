package dev.tandem.ike.policy;

/** How phase 1 is negotiated: main mode (identity protection) or aggressive mode. */
public enum ExchangeMode {
    MAIN,
    AGGRESSIVE
}
