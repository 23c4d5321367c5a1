package dev.tandem.net;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address as raw network-order octets, parsed and printed
 * exactly as the BSD libc functions do (inet_pton, inet_net_pton, inet_ntop),
 * because ipsecctl's output is defined in terms of them.
 */
public record IpAddress(byte[] octets) {

    public enum Family { INET, INET6 }

    public IpAddress {
        if (octets.length != 4 && octets.length != 16) {
            throw new IllegalArgumentException("address must be 4 or 16 octets");
        }
        octets = octets.clone();
    }

    @Override
    public byte[] octets() {
        return octets.clone();
    }

    public Family family() {
        return octets.length == 4 ? Family.INET : Family.INET6;
    }

    /** Number of bits in an address of this family: 32 or 128. */
    public int bits() {
        return octets.length * 8;
    }

    public static IpAddress zero(Family family) {
        return new IpAddress(new byte[family == Family.INET ? 4 : 16]);
    }

    /** The contiguous netmask of {@code prefix} bits for {@code family}. */
    public static IpAddress mask(Family family, int prefix) {
        byte[] m = new byte[family == Family.INET ? 4 : 16];
        for (int i = 0; i < m.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
            m[i] = (byte) (0xff00 >>> bitsHere);
        }
        return new IpAddress(m);
    }

    /** This address with every bit beyond {@code prefix} cleared. */
    public IpAddress network(int prefix) {
        byte[] m = mask(family(), prefix).octets;
        byte[] n = octets.clone();
        for (int i = 0; i < n.length; i++) {
            n[i] &= m[i];
        }
        return new IpAddress(n);
    }

    /**
     * inet_pton(AF_INET) as OpenBSD has it: exactly four dotted decimal octets.
     * A leading zero is allowed and still decimal ("010" is 10); glibc would
     * reject it, but ipsecctl on OpenBSD reads such configurations.
     */
    public static Optional<IpAddress> parseV4(String s) {
        int[] parts = new int[4];
        int octets = 0;
        boolean sawDigit = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= '0' && ch <= '9') {
                if (!sawDigit) {
                    if (++octets > 4) {
                        return Optional.empty();
                    }
                    sawDigit = true;
                }
                int v = parts[octets - 1] * 10 + (ch - '0');
                if (v > 255) {
                    return Optional.empty();
                }
                parts[octets - 1] = v;
            } else if (ch == '.' && sawDigit) {
                if (octets == 4) {
                    return Optional.empty();
                }
                sawDigit = false;
            } else {
                return Optional.empty();
            }
        }
        if (octets < 4 || !sawDigit) {
            return Optional.empty();
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) parts[i];
        }
        return Optional.of(new IpAddress(b));
    }

    /** A network as inet_net_pton(AF_INET) reads it: address plus prefix bits. */
    public record Net(IpAddress address, int bits) { }

    /**
     * inet_net_pton(AF_INET): accepts abbreviated forms ("10.0.2/24"), hex
     * ("0x0a000000/8") and infers a classful width when no "/bits" is given.
     */
    public static Optional<Net> parseV4Net(String s) {
        byte[] dst = new byte[4];
        int n = 0;
        int i = 0;
        int len = s.length();
        int ch = i < len ? s.charAt(i++) : 0;
        if (ch == '0' && i < len && (s.charAt(i) == 'x' || s.charAt(i) == 'X')
                && i + 1 < len && isHex(s.charAt(i + 1))) {
            i++;
            int tmp = 0;
            boolean dirty = false;
            while (true) {
                ch = i < len ? s.charAt(i++) : 0;
                if (ch == 0 || !isHex(ch)) {
                    break;
                }
                int v = Character.digit(ch, 16);
                tmp = dirty ? (tmp << 4) | v : v;
                dirty = !dirty;
                if (!dirty) {
                    if (n == 4) {
                        return Optional.empty();
                    }
                    dst[n++] = (byte) tmp;
                }
            }
            if (dirty) {
                if (n == 4) {
                    return Optional.empty();
                }
                dst[n++] = (byte) (tmp << 4);
            }
        } else if (ch >= '0' && ch <= '9') {
            while (true) {
                int tmp = 0;
                do {
                    tmp = tmp * 10 + (ch - '0');
                    if (tmp > 255) {
                        return Optional.empty();
                    }
                    ch = i < len ? s.charAt(i++) : 0;
                } while (ch >= '0' && ch <= '9');
                if (n == 4) {
                    return Optional.empty();
                }
                dst[n++] = (byte) tmp;
                if (ch == 0 || ch == '/') {
                    break;
                }
                if (ch != '.') {
                    return Optional.empty();
                }
                ch = i < len ? s.charAt(i++) : 0;
                if (!(ch >= '0' && ch <= '9')) {
                    return Optional.empty();
                }
            }
        } else {
            return Optional.empty();
        }

        int bits = -1;
        if (ch == '/' && i < len && isDigit(s.charAt(i)) && n > 0) {
            ch = s.charAt(i++);
            bits = 0;
            do {
                bits = bits * 10 + (ch - '0');
                if (bits > 32) {
                    return Optional.empty();
                }
                ch = i < len ? s.charAt(i++) : 0;
            } while (ch >= '0' && ch <= '9');
            if (ch != 0) {
                return Optional.empty();
            }
        }
        if (ch != 0 || n == 0) {
            return Optional.empty();
        }
        if (bits == -1) {
            int first = dst[0] & 0xff;
            bits = first >= 240 ? 32 : first >= 224 ? 4 : first >= 192 ? 24 : first >= 128 ? 16 : 8;
            bits = Math.max(bits, n * 8);
        }
        return Optional.of(new Net(new IpAddress(dst), bits));
    }

    /** inet_pton(AF_INET6), including "::" and a trailing dotted quad. */
    public static Optional<IpAddress> parseV6(String s) {
        byte[] tmp = new byte[16];
        int tp = 0;
        int colonp = -1;
        int i = 0;
        int len = s.length();
        if (len > 0 && s.charAt(0) == ':') {
            if (len < 2 || s.charAt(1) != ':') {
                return Optional.empty();
            }
            i = 1;
        }
        int curtok = i;
        boolean sawXdigit = false;
        int val = 0;
        int digits = 0;
        while (i < len) {
            char ch = s.charAt(i++);
            int d = Character.digit(ch, 16);
            if (d >= 0 && isHex(ch)) {
                val = (val << 4) | d;
                if (++digits > 4) {
                    return Optional.empty();
                }
                sawXdigit = true;
                continue;
            }
            if (ch == ':') {
                curtok = i;
                if (!sawXdigit) {
                    if (colonp >= 0) {
                        return Optional.empty();
                    }
                    colonp = tp;
                    continue;
                } else if (i >= len) {
                    return Optional.empty();
                }
                if (tp + 2 > 16) {
                    return Optional.empty();
                }
                tmp[tp++] = (byte) (val >> 8);
                tmp[tp++] = (byte) val;
                sawXdigit = false;
                digits = 0;
                val = 0;
                continue;
            }
            if (ch == '.' && tp + 4 <= 16) {
                Optional<IpAddress> v4 = parseV4(s.substring(curtok));
                if (v4.isEmpty()) {
                    return Optional.empty();
                }
                System.arraycopy(v4.get().octets, 0, tmp, tp, 4);
                tp += 4;
                sawXdigit = false;
                break;
            }
            return Optional.empty();
        }
        if (sawXdigit) {
            if (tp + 2 > 16) {
                return Optional.empty();
            }
            tmp[tp++] = (byte) (val >> 8);
            tmp[tp++] = (byte) val;
        }
        if (colonp >= 0) {
            if (tp == 16) {
                return Optional.empty();
            }
            int n = tp - colonp;
            for (int k = 1; k <= n; k++) {
                tmp[16 - k] = tmp[colonp + n - k];
                tmp[colonp + n - k] = 0;
            }
            tp = 16;
        }
        if (tp != 16) {
            return Optional.empty();
        }
        return Optional.of(new IpAddress(tmp));
    }

    /** inet_pton for either family. */
    public static Optional<IpAddress> parse(String s) {
        Optional<IpAddress> v4 = parseV4(s);
        return v4.isPresent() ? v4 : parseV6(s);
    }

    /** Counts the leading one bits of a netmask, as ipsecctl's unmask() does. */
    public int leadingOnes() {
        int b = 0;
        for (byte o : octets) {
            if (o == (byte) 0xff) {
                b += 8;
                continue;
            }
            b += Integer.numberOfLeadingZeros(~(o & 0xff) & 0xff) - 24;
            break;
        }
        return b;
    }

    /** inet_ntop: dotted quad, or RFC 4291 text with the longest zero run compressed. */
    @Override
    public String toString() {
        if (octets.length == 4) {
            return (octets[0] & 0xff) + "." + (octets[1] & 0xff) + "." + (octets[2] & 0xff) + "." + (octets[3] & 0xff);
        }
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((octets[2 * i] & 0xff) << 8) | (octets[2 * i + 1] & 0xff);
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (words[i] == 0) {
                if (curBase == -1) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase != -1) {
                if (bestBase == -1 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase != -1 && (bestBase == -1 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase != -1 && bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (bestBase != -1 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    sb.append(':');
                }
                continue;
            }
            if (i != 0) {
                sb.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff))) {
                sb.append(new IpAddress(Arrays.copyOfRange(octets, 12, 16)));
                break;
            }
            sb.append(Integer.toHexString(words[i]));
        }
        if (bestBase != -1 && bestBase + bestLen == 8) {
            sb.append(':');
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress other && Arrays.equals(octets, other.octets);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(octets);
    }

    /** Hex dump for diagnostics, never needed on the printing path. */
    public String hex() {
        return HexFormat.of().formatHex(octets);
    }

    private static boolean isHex(int ch) {
        return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
    }

    private static boolean isDigit(int ch) {
        return ch >= '0' && ch <= '9';
    }
}
