package dev.tandem.sadb;

/** What a flow asks for (OpenBSD's flow types). */
public enum FlowType {
    /** Protect when an SA exists, else send in the clear. */
    USE,
    /** Protect; without an SA ask for one and send in the clear meanwhile. */
    ACQUIRE,
    /** Protect; without an SA drop and ask for one. */
    REQUIRE,
    /** Protect; without an SA drop, ask for nothing. */
    DONTACQ,
    /** Never protect. */
    BYPASS,
    /** Always drop. */
    DENY
}
