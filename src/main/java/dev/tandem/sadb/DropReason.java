package dev.tandem.sadb;

/** Why the data plane dropped a packet; each has a counter. */
public enum DropReason {
    /** No SA for the SPI (inbound) or for a flow that requires one (outbound). */
    NO_SA("no-sa"),
    /** Integrity check failed. */
    BAD_ICV("bad-icv"),
    /** Sequence number already seen, or too old for the window. */
    REPLAY("replay"),
    /** Decrypted packet does not match the SA's flows. */
    POLICY_MISMATCH("policy-mismatch"),
    /** Too short, bad length fields, bad padding, wrong next header. */
    MALFORMED("malformed"),
    /** A deny flow matched. */
    DENIED("denied"),
    /** Outbound sequence numbers used up (2^32 without ESN): the SA must be rekeyed. */
    SEQUENCE_EXHAUSTED("seq-exhausted"),
    /** The crypto provider refused the operation. */
    CRYPTO_ERROR("crypto-error"),
    /** No buffer or transport available to send. */
    SEND_FAILED("send-failed"),
    /** Outbound on a node that is not master of the SA's source address (a CARP VIP): the master sends. */
    STANDBY("standby"),
    /** Outbound on a replicated SA while this cluster node is not master: only the master may use it. */
    NOT_MASTER("not-master");

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    /** The name used in status output. */
    public String label() {
        return label;
    }
}
