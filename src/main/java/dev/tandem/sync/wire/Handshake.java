package dev.tandem.sync.wire;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The cleartext half of a connection's start: our HELLO out, the peer's
 * HELLO in (exactly {@link Hello#LENGTH} bytes, never more buffered), then
 * the transcript hash and the connection's keys from both.
 */
final class Handshake {

    private final Side side;
    private final SyncKey key;
    private final Hello own;
    private final byte[] ownBytes;
    private final byte[] peerBytes = new byte[Hello.LENGTH];
    private int fill;
    private Hello peer;
    private byte[] transcriptHash;
    private ChannelKeys keys;

    Handshake(Side side, SyncKey key, Hello own) {
        this.side = side;
        this.key = key;
        this.own = own;
        this.ownBytes = own.encode();
    }

    byte[] ownHello() {
        return ownBytes.clone();
    }

    boolean complete() {
        return peer != null;
    }

    /** Bytes of the peer's HELLO received so far. */
    int received() {
        return fill;
    }

    /**
     * Takes the bytes of the peer's HELLO from {@code b[off..off+len)} and
     * returns how many it took; the rest belongs to the frames after it.
     */
    int take(byte[] b, int off, int len) throws SyncProtocolException {
        int n = Math.min(len, Hello.LENGTH - fill);
        System.arraycopy(b, off, peerBytes, fill, n);
        fill += n;
        try {
            Hello.checkMagic(peerBytes, fill);
            if (fill == Hello.LENGTH) {
                accept(Hello.decode(peerBytes));
            }
        } catch (MalformedSyncMessage e) {
            throw new SyncProtocolException("bad HELLO: " + e.getMessage(), e);
        }
        return n;
    }

    private void accept(Hello p) throws SyncProtocolException {
        if (p.version() != Hello.VERSION) {
            throw new SyncProtocolException("peer speaks sync protocol version " + p.version()
                    + ", this node " + Hello.VERSION);
        }
        if (p.nodeId() == own.nodeId() || Arrays.equals(p.nonce(), own.nonce())) {
            throw new SyncProtocolException("peer HELLO carries this node's own id or nonce:"
                    + " connected to itself, or its HELLO was sent back to it");
        }
        byte[] initiator = side == Side.INITIATOR ? ownBytes : peerBytes;
        byte[] responder = side == Side.INITIATOR ? peerBytes : ownBytes;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(initiator);
            sha.update(responder);
            transcriptHash = sha.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
        keys = side == Side.INITIATOR ? ChannelKeys.derive(key, own.nonce(), p.nonce())
                : ChannelKeys.derive(key, p.nonce(), own.nonce());
        peer = p;
    }

    Hello peer() {
        return peer;
    }

    byte[] transcriptHash() {
        return transcriptHash.clone();
    }

    ChannelKeys keys() {
        return keys;
    }
}
