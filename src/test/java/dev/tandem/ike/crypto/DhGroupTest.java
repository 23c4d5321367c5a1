package dev.tandem.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.SecureRandom;
import javax.crypto.spec.DHPrivateKeySpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class DhGroupTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    private static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    @ParameterizedTest
    @EnumSource(DhGroup.class)
    void bothSidesAgreeWithExactWireLengths(DhGroup group) throws Exception {
        DhKeyPair a = group.generate(RANDOM);
        DhKeyPair b = group.generate(RANDOM);
        assertThat(a.publicValue()).hasSize(group.publicValueLength());
        assertThat(b.publicValue()).hasSize(group.publicValueLength());
        assertThat(a.publicValue()).isNotEqualTo(b.publicValue());
        byte[] ab = group.agree(a, b.publicValue());
        byte[] ba = group.agree(b, a.publicValue());
        assertThat(ab).hasSize(group.sharedSecretLength()).isEqualTo(ba);
        assertThat(ab).isNotEqualTo(new byte[ab.length]);
    }

    @Test
    void groupNumbersAndLengthsFollowTheRfcs() {
        int[][] expected = {
            {1, 96, 96}, {2, 128, 128}, {5, 192, 192}, {14, 256, 256}, {15, 384, 384}, {16, 512, 512},
            {17, 768, 768}, {18, 1024, 1024}, {19, 64, 32}, {20, 96, 48}, {31, 32, 32}};
        for (int[] e : expected) {
            DhGroup g = DhGroup.byNumber(e[0]).orElseThrow();
            assertThat(g.number()).isEqualTo(e[0]);
            assertThat(g.publicValueLength()).as("KE length of group %d", e[0]).isEqualTo(e[1]);
            assertThat(g.sharedSecretLength()).as("secret length of group %d", e[0]).isEqualTo(e[2]);
        }
        assertThat(DhGroup.values()).hasSize(expected.length);
        assertThat(DhGroup.byNumber(3)).isEmpty();
        assertThat(DhGroup.byNumber(21)).isEmpty();
    }

    /** A typo in the transcribed hex would break primality or the all-ones ends the RFCs construct. */
    @ParameterizedTest
    @ValueSource(strings = {"MODP_768", "MODP_1024", "MODP_1536", "MODP_2048", "MODP_3072", "MODP_4096",
        "MODP_6144", "MODP_8192"})
    void modpPrimesAreSafePrimesWithAllOnesEnds(String name) throws Exception {
        BigInteger p = (BigInteger) ModpPrimes.class.getDeclaredField(name).get(null);
        int bits = Integer.parseInt(name.substring(5));
        assertThat(p.bitLength()).isEqualTo(bits);
        BigInteger ones64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        assertThat(p.and(ones64)).isEqualTo(ones64);
        assertThat(p.shiftRight(bits - 64)).isEqualTo(ones64);
        // Fermat tests for p and q = (p-1)/2 are enough to catch a transcription error.
        BigInteger q = p.shiftRight(1);
        assertThat(BigInteger.valueOf(3).modPow(p.subtract(BigInteger.ONE), p)).isEqualTo(BigInteger.ONE);
        assertThat(BigInteger.valueOf(3).modPow(q.subtract(BigInteger.ONE), q)).isEqualTo(BigInteger.ONE);
    }

    @Test
    void modpKnownAnswerAgainstPlainModPow() throws Exception {
        BigInteger p = ModpPrimes.MODP_1024;
        BigInteger x = new BigInteger(1, hex("0123456789abcdef0123456789abcdef0123456789abcdef"));
        var priv = KeyFactory.getInstance("DH").generatePrivate(new DHPrivateKeySpec(x, p, BigInteger.TWO));
        DhKeyPair mine = new DhKeyPair(DhGroup.MODP_1024, new byte[128], priv);
        // A small peer value gives a secret with leading zero bytes: it must stay 128 bytes.
        for (BigInteger y : new BigInteger[] {BigInteger.valueOf(5), p.subtract(BigInteger.TWO),
                BigInteger.TWO.modPow(BigInteger.valueOf(999), p)}) {
            byte[] wire = toFixed(y, 128);
            byte[] expected = toFixed(y.modPow(x, p), 128);
            assertThat(DhGroup.MODP_1024.agree(mine, wire)).isEqualTo(expected);
        }
    }

    @Test
    void modpPublicValueIsTwoToThePrivateLeftPadded() throws Exception {
        DhKeyPair a = DhGroup.MODP_768.generate(RANDOM);
        var priv = (javax.crypto.interfaces.DHPrivateKey) a.privateKey();
        BigInteger y = BigInteger.TWO.modPow(priv.getX(), ModpPrimes.MODP_768);
        assertThat(a.publicValue()).isEqualTo(toFixed(y, 96));
    }

    /** RFC 3526 section 8: exponents sized to the group's strength, not to the prime. */
    @ParameterizedTest
    @ValueSource(strings = {"MODP_1024:256", "MODP_2048:320", "MODP_3072:420", "MODP_8192:620"})
    void modpPrivateExponentsHaveTheRfc3526Length(String spec) {
        DhGroup group = DhGroup.valueOf(spec.substring(0, spec.indexOf(':')));
        int bits = Integer.parseInt(spec.substring(spec.indexOf(':') + 1));
        int longest = 0;
        for (int i = 0; i < 8; i++) {
            var priv = (javax.crypto.interfaces.DHPrivateKey) group.generate(RANDOM).privateKey();
            longest = Math.max(longest, priv.getX().bitLength());
        }
        // eight draws: the top bit is set in at least one but for a 1 in 256 chance
        assertThat(longest).isLessThanOrEqualTo(bits).isGreaterThan(bits - 8);
    }

    private static byte[] toFixed(BigInteger v, int len) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[len];
        int n = Math.min(raw.length, len);
        System.arraycopy(raw, raw.length - n, out, len - n, n);
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = DhGroup.class, names = {"MODP_768", "MODP_1024", "MODP_2048"})
    void modpRejectsDegenerateAndOutOfRangeValues(DhGroup group) throws Exception {
        BigInteger p = (BigInteger) ModpPrimes.class.getDeclaredField(group.name()).get(null);
        int len = group.publicValueLength();
        DhKeyPair mine = group.generate(RANDOM);
        for (BigInteger bad : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, p.subtract(BigInteger.ONE), p,
                p.add(BigInteger.ONE)}) {
            assertThatThrownBy(() -> group.agree(mine, toFixed(bad, len)))
                    .as("y = %s", bad.equals(p) ? "p" : bad.toString())
                    .isInstanceOf(IkeCryptoException.class).hasMessageContaining("range");
        }
        byte[] allOnes = new byte[len];
        Arrays.fill(allOnes, (byte) 0xff);
        assertThatThrownBy(() -> group.agree(mine, allOnes)).isInstanceOf(IkeCryptoException.class);
        byte[] good = group.generate(RANDOM).publicValue();
        assertThatThrownBy(() -> group.agree(mine, Arrays.copyOf(good, len - 1)))
                .isInstanceOf(IkeCryptoException.class).hasMessageContaining("bytes");
        assertThatThrownBy(() -> group.agree(mine, Arrays.copyOf(good, len + 1)))
                .isInstanceOf(IkeCryptoException.class).hasMessageContaining("bytes");
        assertThatThrownBy(() -> group.agree(mine, new byte[0])).isInstanceOf(IkeCryptoException.class);
        assertThatThrownBy(() -> group.agree(mine, null)).isInstanceOf(IkeCryptoException.class);
    }

    @Test
    void keyPairOfAnotherGroupIsAProgrammingError() {
        DhKeyPair a = DhGroup.MODP_768.generate(RANDOM);
        assertThatThrownBy(() -> DhGroup.MODP_1024.agree(a, new byte[128]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** RFC 5903 section 8.1. */
    @Test
    void ecp256KnownAnswer() throws Exception {
        ecpKnownAnswer(DhGroup.ECP_256, "secp256r1",
                "C88F01F5 10D9AC3F 70A292DA A2316DE5 44E9AAB8 AFE84049 C62A9C57 862D1433",
                "D12DFB52 89C8D4F8 1208B702 70398C34 2296970A 0BCCB74C 736FC755 4494BF63"
                        + "56FBF3CA 366CC23E 8157854C 13C58D6A AC23F046 ADA30F83 53E74F33 039872AB",
                "D6840F6B 42F6EDAF D13116E0 E1256520 2FEF8E9E CE7DCE03 812464D0 4B9442DE");
    }

    /** RFC 5903 section 8.2. */
    @Test
    void ecp384KnownAnswer() throws Exception {
        ecpKnownAnswer(DhGroup.ECP_384, "secp384r1",
                "099F3C70 34D4A2C6 99884D73 A375A67F 7624EF7C 6B3C0F16 0647B674 14DCE655"
                        + "E35B5380 41E649EE 3FAEF896 783AB194",
                "E558DBEF 53EECDE3 D3FCCFC1 AEA08A89 A987475D 12FD950D 83CFA417 32BC509D"
                        + "0D1AC43A 0336DEF9 6FDA41D0 774A3571"
                        + "DCFBEC7A ACF31964 72169E83 8430367F 66EEBE3C 6E70C416 DD5F0C68 759DD1FF"
                        + "F83FA401 42209DFF 5EAAD96D B9E6386C",
                "11187331 C279962D 93D60424 3FD592CB 9D0A926F 422E4718 7521287E 7156C5C4"
                        + "D6031355 69B9E9D0 9CF5D4A2 70F59746");
    }

    private static void ecpKnownAnswer(DhGroup group, String curve, String i, String ker, String girx)
            throws Exception {
        var params = java.security.AlgorithmParameters.getInstance("EC");
        params.init(new java.security.spec.ECGenParameterSpec(curve));
        var spec = params.getParameterSpec(java.security.spec.ECParameterSpec.class);
        var priv = KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(new BigInteger(1, hex(i)), spec));
        DhKeyPair mine = new DhKeyPair(group, new byte[group.publicValueLength()], priv);
        assertThat(group.agree(mine, hex(ker))).isEqualTo(hex(girx));
    }

    @ParameterizedTest
    @EnumSource(value = DhGroup.class, names = {"ECP_256", "ECP_384"})
    void ecpRejectsMalformedPoints(DhGroup group) {
        DhKeyPair mine = group.generate(RANDOM);
        byte[] good = group.generate(RANDOM).publicValue();
        int f = group.sharedSecretLength();
        byte[] offCurve = good.clone();
        offCurve[offCurve.length - 1] ^= 1;
        assertThatThrownBy(() -> group.agree(mine, offCurve))
                .isInstanceOf(IkeCryptoException.class).hasMessageContaining("not a point");
        // SEC1 uncompressed form with the 04 prefix is not the IKE encoding.
        byte[] sec1 = new byte[good.length + 1];
        sec1[0] = 4;
        System.arraycopy(good, 0, sec1, 1, good.length);
        assertThatThrownBy(() -> group.agree(mine, sec1)).isInstanceOf(IkeCryptoException.class);
        assertThatThrownBy(() -> group.agree(mine, Arrays.copyOf(good, f))).isInstanceOf(IkeCryptoException.class);
        assertThatThrownBy(() -> group.agree(mine, new byte[2 * f])).isInstanceOf(IkeCryptoException.class);
        byte[] allOnes = new byte[2 * f];
        Arrays.fill(allOnes, (byte) 0xff);
        assertThatThrownBy(() -> group.agree(mine, allOnes)).isInstanceOf(IkeCryptoException.class);
    }

    /** RFC 7748 section 6.1: the IKE wire form is the RFC 7748 byte string (RFC 8031 section 2). */
    @Test
    void x25519KnownAnswer() throws Exception {
        byte[] alicePriv = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPub = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        byte[] shared = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        var priv = KeyFactory.getInstance("X25519")
                .generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, alicePriv));
        DhKeyPair alice = new DhKeyPair(DhGroup.CURVE25519, new byte[32], priv);
        assertThat(DhGroup.CURVE25519.agree(alice, bobPub)).isEqualTo(shared);
    }

    @Test
    void x25519RejectsWrongLengthsAndLowOrderPoints() {
        DhGroup g = DhGroup.CURVE25519;
        DhKeyPair mine = g.generate(RANDOM);
        assertThatThrownBy(() -> g.agree(mine, new byte[31])).isInstanceOf(IkeCryptoException.class);
        assertThatThrownBy(() -> g.agree(mine, new byte[33])).isInstanceOf(IkeCryptoException.class);
        byte[] one = new byte[32];
        one[0] = 1;
        // u = 0, u = 1 and a point of order 8: X25519 of any scalar with them is all zero.
        for (byte[] lowOrder : new byte[][] {new byte[32], one,
                hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")}) {
            assertThatThrownBy(() -> g.agree(mine, lowOrder)).isInstanceOf(IkeCryptoException.class);
        }
    }

    @Test
    void keyPairNeverPrintsItsPrivateKey() {
        DhKeyPair a = DhGroup.MODP_768.generate(RANDOM);
        var x = ((javax.crypto.interfaces.DHPrivateKey) a.privateKey()).getX();
        assertThat(a.toString()).doesNotContain(x.toString(16)).doesNotContain(x.toString())
                .contains("hidden");
    }
}
