package dev.tandem.sadb;

import dev.tandem.esp.EspKeys;
import dev.tandem.net.IpAddress;
import java.util.Objects;

/**
 * Everything that defines an SA (what PF_KEY's ADD carries): addresses,
 * mode, keys, encapsulation, sequence number width, replay window, lifetimes.
 * The runtime state (counters, sequence numbers) lives in
 * {@link SecurityAssociation}. Keys never appear in toString().
 *
 * @param replayWindow inbound anti-replay window in packets (RFC 4303: at least 32)
 */
public record SaSpec(SaId id, IpAddress src, SaMode mode, EspKeys keys, Encapsulation encapsulation,
                     boolean esn, int replayWindow, SaLifetime soft, SaLifetime hard) {

    public static final int DEFAULT_REPLAY_WINDOW = 64;

    public SaSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(encapsulation, "encapsulation");
        Objects.requireNonNull(soft, "soft");
        Objects.requireNonNull(hard, "hard");
        if (src.family() != id.dst().family()) {
            throw new IllegalArgumentException("SA source and destination of different address families");
        }
        if (replayWindow < 32) {
            throw new IllegalArgumentException("replay window " + replayWindow + " below 32");
        }
        if (id.protocol() != SaProtocol.ESP) {
            throw new IllegalArgumentException("only ESP SAs are carried by the data plane");
        }
    }

    public IpAddress dst() {
        return id.dst();
    }
}
