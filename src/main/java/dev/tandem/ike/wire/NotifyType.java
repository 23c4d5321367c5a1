package dev.tandem.ike.wire;

import java.util.Optional;

/**
 * Notify message types: errors and CONNECTED (RFC 2408 §3.14.1), IPsec DOI status (RFC 2407 §4.6.3), dead peer detection (RFC 3706 §5.1).
 * Messages carry the raw code, so values not listed here still round-trip;
 * {@link #of(int)} names the ones we know.
 */
public enum NotifyType {
    INVALID_PAYLOAD_TYPE(1),
    DOI_NOT_SUPPORTED(2),
    SITUATION_NOT_SUPPORTED(3),
    INVALID_COOKIE(4),
    INVALID_MAJOR_VERSION(5),
    INVALID_MINOR_VERSION(6),
    INVALID_EXCHANGE_TYPE(7),
    INVALID_FLAGS(8),
    INVALID_MESSAGE_ID(9),
    INVALID_PROTOCOL_ID(10),
    INVALID_SPI(11),
    INVALID_TRANSFORM_ID(12),
    ATTRIBUTES_NOT_SUPPORTED(13),
    NO_PROPOSAL_CHOSEN(14),
    BAD_PROPOSAL_SYNTAX(15),
    PAYLOAD_MALFORMED(16),
    INVALID_KEY_INFORMATION(17),
    INVALID_ID_INFORMATION(18),
    INVALID_CERT_ENCODING(19),
    INVALID_CERTIFICATE(20),
    CERT_TYPE_UNSUPPORTED(21),
    INVALID_CERT_AUTHORITY(22),
    INVALID_HASH_INFORMATION(23),
    AUTHENTICATION_FAILED(24),
    INVALID_SIGNATURE(25),
    ADDRESS_NOTIFICATION(26),
    NOTIFY_SA_LIFETIME(27),
    CERTIFICATE_UNAVAILABLE(28),
    UNSUPPORTED_EXCHANGE_TYPE(29),
    UNEQUAL_PAYLOAD_LENGTHS(30),
    CONNECTED(16384),
    RESPONDER_LIFETIME(24576),
    REPLAY_STATUS(24577),
    INITIAL_CONTACT(24578),
    R_U_THERE(36136),
    R_U_THERE_ACK(36137);

    private final int code;

    NotifyType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<NotifyType> of(int code) {
        for (NotifyType v : values()) {
            if (v.code == code) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
