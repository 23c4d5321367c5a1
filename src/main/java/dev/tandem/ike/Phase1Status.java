package dev.tandem.ike;

import dev.tandem.ike.policy.ExchangeMode;
import dev.tandem.ike.policy.Identity;

/**
 * One phase 1 SA or exchange in progress. Cookies are hex; state is
 * "established" or the exchange step (e.g. "MM_SA_SENT"); transform reads
 * like "AES-256/SHA2-256/MODP2048" (empty before it is chosen); remoteId is
 * null until the peer authenticated.
 */
public record Phase1Status(String policy, IkeEndpoint local, IkeEndpoint remote, String initiatorCookie,
                           String responderCookie, String state, boolean initiator, ExchangeMode mode,
                           String transform, long ageSeconds, long lifeSeconds, boolean natT, Identity remoteId) { }
