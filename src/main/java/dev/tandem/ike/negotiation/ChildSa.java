package dev.tandem.ike.negotiation;

import dev.tandem.sadb.SaId;

/** The two ESP SAs one quick mode installed, and the connection they serve. */
public record ChildSa(SaId inbound, SaId outbound, String connection) { }
