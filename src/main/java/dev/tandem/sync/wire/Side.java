package dev.tandem.sync.wire;

/**
 * Which end of the TCP connection a channel is: the node that connected is
 * the initiator. Each direction has its own key (HKDF info string) and its
 * own nonce prefix, so a frame sent back to its sender never opens.
 */
public enum Side {
    INITIATOR, RESPONDER;

    static final String INFO_I2R = "tandem sync i2r v1";
    static final String INFO_R2I = "tandem sync r2i v1";
    /** Nonce prefixes of the two directions, "i2r " and "r2i " in ASCII. */
    static final int DIRECTION_I2R = 0x69327220;
    static final int DIRECTION_R2I = 0x72326920;

    int sendDirection() {
        return this == INITIATOR ? DIRECTION_I2R : DIRECTION_R2I;
    }

    int receiveDirection() {
        return this == INITIATOR ? DIRECTION_R2I : DIRECTION_I2R;
    }
}
