package dev.tandem.conf.ipsec;

/** How an ike rule's connection is brought up. */
public enum IkeMode {
    /** Initiate the connection. */
    ACTIVE,
    /** Wait for the peer to initiate. */
    PASSIVE,
    /** Active, with dead peer detection and the local host name as default ID. */
    DYNAMIC
}
