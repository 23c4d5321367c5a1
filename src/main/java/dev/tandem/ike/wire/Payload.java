package dev.tandem.ike.wire;

import dev.tandem.net.IpAddress;
import dev.tandem.net.IpNet;
import java.util.List;

/**
 * One payload of an ISAKMP message's chain (RFC 2408 §3.4-§3.16, RFC 3947).
 * Proposal and transform payloads only occur nested in an SA and are not
 * members. Records holding octets copy them in and out; equality is
 * equality of the encoded payload body.
 */
public sealed interface Payload {

    /** The next-payload code announcing this payload. */
    int type();

    /** Security Association (RFC 2408 §3.4); the situation is the 4-octet IPsec DOI bitmap (RFC 2407 §4.2). */
    record SecurityAssociation(long doi, long situation, List<Proposal> proposals) implements Payload {
        public static final int MAX_PROPOSALS = 64;

        public SecurityAssociation {
            if (doi < 0 || doi > 0xffffffffL || situation < 0 || situation > 0xffffffffL) {
                throw new IllegalArgumentException("DOI or situation out of range");
            }
            proposals = List.copyOf(proposals);
            if (proposals.isEmpty() || proposals.size() > MAX_PROPOSALS) {
                throw new IllegalArgumentException("an SA carries 1.." + MAX_PROPOSALS + " proposals");
            }
        }

        @Override
        public int type() {
            return PayloadType.SECURITY_ASSOCIATION.code();
        }

        @Override
        public boolean equals(Object o) {
            return PayloadChain.sameBody(this, o);
        }

        @Override
        public int hashCode() {
            return PayloadChain.bodyHash(this);
        }
    }

    /** Key Exchange (RFC 2408 §3.7): the Diffie-Hellman public value. */
    record KeyExchange(byte[] data) implements Payload {

        public KeyExchange {
            data = data.clone();
        }

        @Override
        public int type() {
            return PayloadType.KEY_EXCHANGE.code();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return PayloadChain.sameBody(this, o);
        }

        @Override
        public int hashCode() {
            return PayloadChain.bodyHash(this);
        }

        @Override
        public String toString() {
            return PayloadChain.describe(this);
        }
    }

    /** Identification (RFC 2408 §3.8) with the IPsec DOI fields (RFC 2407 §4.6.2): ID type ({@link IdType}),
     * IP protocol, port and the identification data, whose length is checked for the address types. */
    record Identification(int idType, int protocolId, int port, byte[] data) implements Payload {

        public Identification {
            if (idType < 0 || idType > 0xff || protocolId < 0 || protocolId > 0xff || port < 0 || port > 0xffff) {
                throw new IllegalArgumentException("ID type, protocol or port out of range");
            }
            String bad = PayloadChain.idDataError(idType, data.length);
            if (bad != null) {
                throw new IllegalArgumentException(bad);
            }
            data = data.clone();
        }

        @Override
        public int type() {
            return PayloadType.IDENTIFICATION.code();
        }

        /**
         * The ID of a host or network: IPV4_ADDR/IPV6_ADDR for a host prefix,
         * IPV4_ADDR_SUBNET/IPV6_ADDR_SUBNET (address then mask) otherwise.
         */
        public static Identification of(IpNet net, int protocolId, int port) {
            IpAddress a = net.address();
            boolean v4 = a.family() == IpAddress.Family.INET;
            if (net.prefix() == a.bits()) {
                return new Identification((v4 ? IdType.IPV4_ADDR : IdType.IPV6_ADDR).code(), protocolId, port,
                        a.octets());
            }
            byte[] mask = IpAddress.mask(a.family(), net.prefix()).octets();
            byte[] data = java.util.Arrays.copyOf(a.octets(), 2 * mask.length);
            System.arraycopy(mask, 0, data, mask.length, mask.length);
            return new Identification((v4 ? IdType.IPV4_ADDR_SUBNET : IdType.IPV6_ADDR_SUBNET).code(), protocolId,
                    port, data);
        }

        /**
         * The host or network this ID names, for the address and subnet types
         * with a contiguous mask; empty for names, ranges and odd masks.
         */
        public java.util.Optional<IpNet> net() {
            IdType t = IdType.of(idType).orElse(null);
            if (t == IdType.IPV4_ADDR || t == IdType.IPV6_ADDR) {
                return java.util.Optional.of(IpNet.host(new IpAddress(data)));
            }
            if (t == IdType.IPV4_ADDR_SUBNET || t == IdType.IPV6_ADDR_SUBNET) {
                int half = data.length / 2;
                IpAddress addr = new IpAddress(java.util.Arrays.copyOf(data, half));
                IpAddress mask = new IpAddress(java.util.Arrays.copyOfRange(data, half, data.length));
                int prefix = mask.leadingOnes();
                if (!IpAddress.mask(mask.family(), prefix).equals(mask)) {
                    return java.util.Optional.empty();
                }
                return java.util.Optional.of(new IpNet(addr, prefix));
            }
            return java.util.Optional.empty();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return PayloadChain.sameBody(this, o);
        }

        @Override
        public int hashCode() {
            return PayloadChain.bodyHash(this);
        }

        @Override
        public String toString() {
            return PayloadChain.describe(this);
        }
    }

    /** Certificate (RFC 2408 §3.9), kept opaque. */
    record Certificate(int encoding, byte[] data) implements Payload {

        public Certificate {
            if (encoding < 0 || encoding > 0xff) {
                throw new IllegalArgumentException("encoding out of range");
            }
            data = data.clone();
        }

        @Override
        public int type() {
            return PayloadType.CERTIFICATE.code();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return PayloadChain.sameBody(this, o);
        }

        @Override
        public int hashCode() {
            return PayloadChain.bodyHash(this);
        }

        @Override
        public String toString() {
            return PayloadChain.describe(this);
        }
    }

    /** Certificate Request (RFC 2408 §3.10), kept opaque. */
    record CertificateRequest(int certType, byte[] authority) implements Payload {

        public CertificateRequest {
            if (certType < 0 || certType > 0xff) {
                throw new IllegalArgumentException("certificate type out of range");
            }
            authority = authority.clone();
        }

        @Override
        public int type() {
            return PayloadType.CERTIFICATE_REQUEST.code();
        }

        @Override
        public byte[] authority() {
            return authority.clone();
        }

        @Override
        public boolean equals(Object o) {
            return PayloadChain.sameBody(this, o);
        }

        @Override
        public int hashCode() {
            return PayloadChain.bodyHash(this);
        }

        @Override
        public String toString() {
            return PayloadChain.describe(this);
        }
    }

    /** Hash (RFC 2408 §3.11). */
    record Hash(byte[] data) implements Payload {

        public Hash {
            data = data.clone();
        }

        @Override
        public int type() {
            return PayloadType.HASH.code();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return PayloadChain.sameBody(this, o);
        }

        @Override
        public int hashCode() {
            return PayloadChain.bodyHash(this);
        }

        @Override
        public String toString() {
            return PayloadChain.describe(this);
        }
    }

    /** Signature (RFC 2408 §3.12), kept opaque. */
    record Signature(byte[] data) implements Payload {

        public Signature {
            data = data.clone();
        }

        @Override
        public int type() {
            return PayloadType.SIGNATURE.code();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return PayloadChain.sameBody(this, o);
        }

        @Override
        public int hashCode() {
            return PayloadChain.bodyHash(this);
        }

        @Override
        public String toString() {
            return PayloadChain.describe(this);
        }
    }

    /** Nonce (RFC 2408 §3.13). */
    record Nonce(byte[] data) implements Payload {

        public Nonce {
            data = data.clone();
        }

        @Override
        public int type() {
            return PayloadType.NONCE.code();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return PayloadChain.sameBody(this, o);
        }

        @Override
        public int hashCode() {
            return PayloadChain.bodyHash(this);
        }

        @Override
        public String toString() {
            return PayloadChain.describe(this);
        }
    }

    /** Notification (RFC 2408 §3.14): DOI, protocol, SPI, notify type ({@link NotifyType}) and data. */
    record Notification(long doi, int protocolId, byte[] spi, int notifyType, byte[] data) implements Payload {

        public Notification {
            if (doi < 0 || doi > 0xffffffffL || protocolId < 0 || protocolId > 0xff || spi.length > 0xff
                    || notifyType < 0 || notifyType > 0xffff) {
                throw new IllegalArgumentException("notification field out of range");
            }
            spi = spi.clone();
            data = data.clone();
        }

        @Override
        public int type() {
            return PayloadType.NOTIFICATION.code();
        }

        @Override
        public byte[] spi() {
            return spi.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return PayloadChain.sameBody(this, o);
        }

        @Override
        public int hashCode() {
            return PayloadChain.bodyHash(this);
        }

        @Override
        public String toString() {
            return PayloadChain.describe(this);
        }
    }

    /** Delete (RFC 2408 §3.15): SPIs of one protocol, all of {@code spiSize} octets. */
    record Delete(long doi, int protocolId, int spiSize, List<byte[]> spis) implements Payload {

        public Delete {
            if (doi < 0 || doi > 0xffffffffL || protocolId < 0 || protocolId > 0xff || spiSize < 0 || spiSize > 0xff
                    || spis.size() > 0xffff) {
                throw new IllegalArgumentException("delete field out of range");
            }
            List<byte[]> copy = new java.util.ArrayList<>();
            for (byte[] s : spis) {
                if (s.length != spiSize) {
                    throw new IllegalArgumentException("SPI of " + s.length + " octets, size says " + spiSize);
                }
                copy.add(s.clone());
            }
            spis = java.util.Collections.unmodifiableList(copy);
        }

        @Override
        public int type() {
            return PayloadType.DELETE.code();
        }

        @Override
        public boolean equals(Object o) {
            return PayloadChain.sameBody(this, o);
        }

        @Override
        public int hashCode() {
            return PayloadChain.bodyHash(this);
        }

        @Override
        public String toString() {
            return PayloadChain.describe(this);
        }
    }

    /** Vendor ID (RFC 2408 §3.16). */
    record VendorId(byte[] data) implements Payload {

        public VendorId {
            data = data.clone();
        }

        @Override
        public int type() {
            return PayloadType.VENDOR_ID.code();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return PayloadChain.sameBody(this, o);
        }

        @Override
        public int hashCode() {
            return PayloadChain.bodyHash(this);
        }

        @Override
        public String toString() {
            return PayloadChain.describe(this);
        }
    }

    /** NAT-D (RFC 3947 §3.2): hash of cookies, address and port. */
    record NatDiscovery(byte[] hash) implements Payload {

        public NatDiscovery {
            hash = hash.clone();
        }

        @Override
        public int type() {
            return PayloadType.NAT_D.code();
        }

        @Override
        public byte[] hash() {
            return hash.clone();
        }

        @Override
        public boolean equals(Object o) {
            return PayloadChain.sameBody(this, o);
        }

        @Override
        public int hashCode() {
            return PayloadChain.bodyHash(this);
        }

        @Override
        public String toString() {
            return PayloadChain.describe(this);
        }
    }

    /** NAT-OA (RFC 3947 §5.1): original address, ID type IPV4_ADDR or IPV6_ADDR only. */
    record NatOriginalAddress(int idType, byte[] address) implements Payload {

        public NatOriginalAddress {
            if (!(idType == IdType.IPV4_ADDR.code() && address.length == 4)
                    && !(idType == IdType.IPV6_ADDR.code() && address.length == 16)) {
                throw new IllegalArgumentException("NAT-OA takes a 4-octet IPv4 or 16-octet IPv6 address");
            }
            address = address.clone();
        }

        @Override
        public int type() {
            return PayloadType.NAT_OA.code();
        }

        @Override
        public byte[] address() {
            return address.clone();
        }

        @Override
        public boolean equals(Object o) {
            return PayloadChain.sameBody(this, o);
        }

        @Override
        public int hashCode() {
            return PayloadChain.bodyHash(this);
        }

        @Override
        public String toString() {
            return PayloadChain.describe(this);
        }
    }

    /**
     * A payload of a type this codec does not parse, kept as its body octets
     * so that it is passed on unchanged (RFC 2408 §5.1 lets the receiver
     * decide what to do with it).
     */
    record Unknown(int type, byte[] body) implements Payload {

        public Unknown {
            if (type <= 0 || type > 0xff || PayloadType.of(type).isPresent()) {
                throw new IllegalArgumentException("not an unknown payload type: " + type);
            }
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        @Override
        public boolean equals(Object o) {
            return PayloadChain.sameBody(this, o);
        }

        @Override
        public int hashCode() {
            return PayloadChain.bodyHash(this);
        }

        @Override
        public String toString() {
            return PayloadChain.describe(this);
        }
    }
}
