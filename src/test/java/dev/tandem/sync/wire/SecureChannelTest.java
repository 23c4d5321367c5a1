package dev.tandem.sync.wire;

import static dev.tandem.sync.wire.SyncFixtures.SHARED;
import static dev.tandem.sync.wire.SyncFixtures.counting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SecureChannelTest {

    static final HexFormat HEX = HexFormat.of();
    static final long NODE_A = 0x0a0a_0a0a_0000_0001L;
    static final long NODE_B = 0x0b0b_0b0b_0000_0002L;
    static final byte[] NONCE_A = counting(0x00);
    static final byte[] NONCE_B = counting(0x20);

    /** The keys for the shared key and nonces above, computed apart from Java (Python's hmac and hashlib). */
    static final String KNOWN_I2R = "2f553540f057bb263e6705a39df854ffa7c3ca022bb4048ca877ed5983927afd";
    static final String KNOWN_R2I = "3f32716424c91839b5dcdbd90a40f7214eb506a5b89c341a3e3d7eb149132e8a";

    static SecureChannel initiator(SyncKey key) {
        return new SecureChannel(Side.INITIATOR, key, NODE_A, Hello.INTENT_MASTER, new SyncFixtures.FixedBytes(NONCE_A));
    }

    static SecureChannel responder(SyncKey key) {
        return new SecureChannel(Side.RESPONDER, key, NODE_B, 0, new SyncFixtures.FixedBytes(NONCE_B));
    }

    /** Two authenticated ends and what each sent in the handshake. */
    record Pair(SecureChannel a, SecureChannel b, byte[] helloA, byte[] helloB, byte[] authA, byte[] authB) { }

    static Pair connect() throws SyncProtocolException {
        SecureChannel a = initiator(SHARED);
        SecureChannel b = responder(SHARED);
        byte[] helloA = a.start();
        byte[] helloB = b.start();
        SecureChannel.Received ra = a.receive(helloB);
        SecureChannel.Received rb = b.receive(helloA);
        assertThat(ra.messages()).isEmpty();
        assertThat(rb.messages()).isEmpty();
        assertThat(a.state()).isEqualTo(SecureChannel.State.HANDSHAKING);
        assertThat(b.receive(ra.reply()).messages()).isEmpty();
        assertThat(a.receive(rb.reply()).messages()).isEmpty();
        assertThat(a.state()).isEqualTo(SecureChannel.State.AUTHENTICATED);
        assertThat(b.state()).isEqualTo(SecureChannel.State.AUTHENTICATED);
        return new Pair(a, b, helloA, helloB, ra.reply(), rb.reply());
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            s.writeBytes(p);
        }
        return s.toByteArray();
    }

    // ---- an HKDF of the test's own, from RFC 5869 with HMAC -------------

    static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info, int length) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        byte[] okm = new byte[length];
        byte[] t = new byte[0];
        for (int i = 0, done = 0; done < length; i++) {
            mac.update(t);
            mac.update(info);
            mac.update((byte) (i + 1));
            t = mac.doFinal();
            int n = Math.min(t.length, length - done);
            System.arraycopy(t, 0, okm, done, n);
            done += n;
        }
        return okm;
    }

    @Test
    void theTestsOwnHkdfGivesRfc5869TestCase1() throws Exception {
        byte[] ikm = new byte[22];
        Arrays.fill(ikm, (byte) 0x0b);
        assertThat(HEX.formatHex(hkdf(ikm, HEX.parseHex("000102030405060708090a0b0c"),
                HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42)))
                .isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    }

    @Test
    void derivedKeysAreTheKnownAnswer() throws Exception {
        byte[] salt = concat(NONCE_A, NONCE_B);
        byte[] i2r = hkdf(SHARED.bytes(), salt, "tandem sync i2r v1".getBytes(StandardCharsets.US_ASCII), 32);
        byte[] r2i = hkdf(SHARED.bytes(), salt, "tandem sync r2i v1".getBytes(StandardCharsets.US_ASCII), 32);
        assertThat(HEX.formatHex(i2r)).isEqualTo(KNOWN_I2R);
        assertThat(HEX.formatHex(r2i)).isEqualTo(KNOWN_R2I);
        ChannelKeys k = ChannelKeys.derive(SHARED, NONCE_A, NONCE_B);
        assertThat(k.initiatorToResponder().getEncoded()).isEqualTo(i2r);
        assertThat(k.responderToInitiator().getEncoded()).isEqualTo(r2i);
        assertThat(k.initiatorToResponder().getAlgorithm()).isEqualTo("AES");
        // the other nonce order is another connection with other keys
        assertThat(ChannelKeys.derive(SHARED, NONCE_B, NONCE_A).initiatorToResponder().getEncoded()).isNotEqualTo(i2r);
    }

    /** Opens each side's AUTH with plain JCA and the specification's nonce, AAD and keys: nothing from the channel's code. */
    @Test
    void theAuthFramesAreSealedAsSpecified() throws Exception {
        Pair p = connect();
        assertThat(p.helloA()).hasSize(51);
        assertThat(HEX.formatHex(p.helloA())).isEqualTo(HEX.formatHex("TNDMSYNC".getBytes(StandardCharsets.US_ASCII))
                + "0002" + HEX.formatHex(NONCE_A) + "0a0a0a0a00000001" + "01");
        assertThat(HEX.formatHex(p.helloB())).endsWith(HEX.formatHex(NONCE_B) + "0b0b0b0b00000002" + "00");
        byte[] transcript = MessageDigest.getInstance("SHA-256").digest(concat(p.helloA(), p.helloB()));
        byte[] expectedPlain = concat(new byte[] {1}, transcript);
        assertThat(openBySpec(p.authA(), KNOWN_I2R, "69327220")).isEqualTo(expectedPlain);
        assertThat(openBySpec(p.authB(), KNOWN_R2I, "72326920")).isEqualTo(expectedPlain);
    }

    static byte[] openBySpec(byte[] frame, String keyHex, String directionHex) throws Exception {
        assertThat(HEX.formatHex(frame, 0, 12)).isEqualTo("00000039" + "0000000000000000"); // 8 + 33 + 16, sequence 0
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(HEX.parseHex(keyHex), "AES"),
                new GCMParameterSpec(128, HEX.parseHex(directionHex + "0000000000000000")));
        c.updateAAD(frame, 0, 12);
        return c.doFinal(frame, 12, frame.length - 12);
    }

    @Test
    void afterTheHandshakeMessagesFlowBothWaysWithTheirSequenceNumbers() throws Exception {
        Pair p = connect();
        assertThat(p.a().peerHello().orElseThrow().nodeId()).isEqualTo(NODE_B);
        assertThat(p.b().peerHello().orElseThrow().nodeId()).isEqualTo(NODE_A);
        assertThat(p.b().peerHello().orElseThrow().intentMaster()).isTrue();
        assertThat(p.a().peerHello().orElseThrow().intentMaster()).isFalse();
        assertThat(p.a().nextSendSequence()).isEqualTo(1);

        List<SyncMessage> all = SyncFixtures.samples().stream().filter(m -> !(m instanceof SyncMessage.Auth)).toList();
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        for (SyncMessage m : all) {
            s.writeBytes(p.a().send(m));
        }
        List<SecureChannel.Incoming> got = p.b().receive(s.toByteArray()).messages();
        assertThat(got).extracting(SecureChannel.Incoming::message).containsExactlyElementsOf(all);
        assertThat(got).extracting(SecureChannel.Incoming::sequence)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, all.size()).boxed().toList());

        SyncMessage.Ack ack = new SyncMessage.Ack(all.size(), 42);
        SecureChannel.Received back = p.a().receive(p.b().send(ack));
        assertThat(back.reply()).isEmpty();
        assertThat(back.messages()).containsExactly(new SecureChannel.Incoming(1, ack));
    }

    /** A peer's whole side of the conversation, delivered at once or a byte at a time, gives the same result. */
    @Test
    void theConversationInOneChunkOrByteByByte() throws Exception {
        Pair p = connect();
        byte[] frames = concat(p.a().send(new SyncMessage.Role(RunState.MASTER, 3)),
                p.a().send(SyncFixtures.upsert(SyncFixtures.v6GcmUdpEsn())), p.a().send(new SyncMessage.SnapshotEnd(1)));
        byte[] streamA = concat(p.helloA(), p.authA(), frames);

        SecureChannel whole = responder(SHARED);
        whole.start();
        SecureChannel.Received r = whole.receive(streamA);
        assertThat(r.reply()).isEqualTo(p.authB());
        assertThat(whole.state()).isEqualTo(SecureChannel.State.AUTHENTICATED);
        assertThat(r.messages()).hasSize(3);

        SecureChannel bytewise = responder(SHARED);
        bytewise.start();
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        List<SecureChannel.Incoming> got = new ArrayList<>();
        for (int i = 0; i < streamA.length; i++) {
            SecureChannel.Received step = bytewise.receive(streamA, i, 1);
            reply.writeBytes(step.reply());
            got.addAll(step.messages());
            if (i < p.helloA().length + p.authA().length - 1) {
                assertThat(bytewise.state()).as("after byte %d", i).isEqualTo(SecureChannel.State.HANDSHAKING);
                assertThat(step.messages()).isEmpty();
            }
        }
        assertThat(reply.toByteArray()).isEqualTo(p.authB());
        assertThat(got).isEqualTo(r.messages());
    }

    @Test
    void aWrongSharedKeyFailsAtTheFirstFrameAndNothingIsHandedOut() throws Exception {
        SyncKey other = new SyncKey("a different shared key".getBytes(StandardCharsets.US_ASCII));
        SecureChannel a = initiator(SHARED);
        SecureChannel b = responder(other);
        byte[] helloA = a.start();
        byte[] helloB = b.start();
        byte[] authA = a.receive(helloB).reply();
        byte[] authB = b.receive(helloA).reply();
        byte[] withMore = concat(authA, new byte[0]);
        assertThatThrownBy(() -> b.receive(withMore)).isInstanceOf(SyncProtocolException.class)
                .hasMessage("wrong shared key or corrupted frame");
        assertThat(b.state()).isEqualTo(SecureChannel.State.FAILED);
        assertThat(b.failureReason()).contains("wrong shared key or corrupted frame");
        assertThatThrownBy(() -> a.receive(authB)).isInstanceOf(SyncProtocolException.class)
                .hasMessage("wrong shared key or corrupted frame");
        // a failed channel refuses everything after
        assertThatThrownBy(() -> b.receive(new byte[1])).isInstanceOf(SyncProtocolException.class)
                .hasMessageContaining("failed earlier: wrong shared key");
        assertThatThrownBy(() -> b.send(new SyncMessage.Heartbeat(1))).isInstanceOf(SyncProtocolException.class);
        assertThatThrownBy(b::endOfStream).isInstanceOf(SyncProtocolException.class);
    }

    /**
     * Every single byte of one side's stream (HELLO, AUTH, two frames) flipped
     * in turn: the channel fails, and every message handed out before that is
     * one the sender really sent with that sequence number.
     */
    @Test
    void aChangedByteAnywhereFailsTheChannel() throws Exception {
        Pair p = connect();
        SyncMessage m1 = SyncFixtures.upsert(SyncFixtures.v4Gcm());
        SyncMessage m2 = new SyncMessage.Heartbeat(5);
        byte[] stream = concat(p.helloA(), p.authA(), p.a().send(m1), p.a().send(m2));
        List<SyncMessage> sent = List.of(m1, m2);
        for (int i = 0; i < stream.length; i++) {
            for (int mask : new int[] {0x01, 0x80}) {
                byte[] t = stream.clone();
                t[i] ^= (byte) mask;
                SecureChannel b = responder(SHARED);
                b.start();
                boolean failed = false;
                try {
                    for (SecureChannel.Incoming in : b.receive(t).messages()) {
                        assertThat(in.message()).isEqualTo(sent.get((int) in.sequence() - 1));
                    }
                    b.endOfStream();
                } catch (SyncProtocolException expected) {
                    failed = true;
                }
                assertThat(failed).as("byte %d ^ %02x", i, mask).isTrue();
                assertThat(b.state()).isEqualTo(SecureChannel.State.FAILED);
            }
        }
    }

    @Test
    void aReplayedFrameIsRefused() throws Exception {
        Pair p = connect();
        byte[] f1 = p.a().send(new SyncMessage.Heartbeat(1));
        assertThat(p.b().receive(f1).messages()).hasSize(1);
        assertThatThrownBy(() -> p.b().receive(f1)).isInstanceOf(SyncProtocolException.class)
                .hasMessageContaining("frame sequence 1 where 2 was expected");
    }

    @Test
    void aSkippedFrameIsRefused() throws Exception {
        Pair p = connect();
        p.a().send(new SyncMessage.Heartbeat(1));
        byte[] f2 = p.a().send(new SyncMessage.Heartbeat(2));
        assertThatThrownBy(() -> p.b().receive(f2)).isInstanceOf(SyncProtocolException.class)
                .hasMessageContaining("frame sequence 2 where 1 was expected");
    }

    @Test
    void reorderedFramesAreRefusedAndNothingOfTheChunkIsHandedOut() throws Exception {
        Pair p = connect();
        byte[] f1 = p.a().send(new SyncMessage.Heartbeat(1));
        byte[] f2 = p.a().send(new SyncMessage.Heartbeat(2));
        byte[] f3 = p.a().send(new SyncMessage.Heartbeat(3));
        assertThatThrownBy(() -> p.b().receive(concat(f1, f3, f2))).isInstanceOf(SyncProtocolException.class)
                .hasMessageContaining("frame sequence 3 where 2 was expected");
        assertThatThrownBy(() -> p.b().receive(f2)).isInstanceOf(SyncProtocolException.class)
                .hasMessageContaining("failed earlier");
    }

    /**
     * A node's own frame sent back to it carries the sequence number it
     * expects next (both directions count from 0), so only the direction's
     * key and nonce prefix stop it.
     */
    @Test
    void aFrameReflectedToItsSenderDoesNotOpen() throws Exception {
        Pair p = connect();
        byte[] own = p.a().send(new SyncMessage.Role(RunState.MASTER, 1));
        assertThat(p.a().opener().expectedSequence()).isEqualTo(1);
        assertThatThrownBy(() -> p.a().receive(own)).isInstanceOf(SyncProtocolException.class)
                .hasMessage("wrong shared key or corrupted frame");

        // in the handshake: the peer's HELLO, then our own AUTH instead of the peer's
        SecureChannel a = initiator(SHARED);
        a.start();
        byte[] auth = a.receive(p.helloB()).reply();
        assertThatThrownBy(() -> a.receive(auth)).isInstanceOf(SyncProtocolException.class)
                .hasMessage("wrong shared key or corrupted frame");

        // our own HELLO sent back to us
        SecureChannel c = initiator(SHARED);
        byte[] hello = c.start();
        assertThatThrownBy(() -> c.receive(hello)).isInstanceOf(SyncProtocolException.class)
                .hasMessageContaining("own id or nonce");
    }

    /** Two daemons with the same id (only by configuration error or a reflection) refuse each other. */
    @Test
    void aPeerWithThisNodesIdIsRefused() throws Exception {
        SecureChannel a = initiator(SHARED);
        SecureChannel twin = new SecureChannel(Side.RESPONDER, SHARED, NODE_A, 0, new SyncFixtures.FixedBytes(NONCE_B));
        a.start();
        assertThatThrownBy(() -> a.receive(twin.start())).isInstanceOf(SyncProtocolException.class)
                .hasMessageContaining("own id or nonce");
    }

    @Test
    void aStreamEndingEarlyIsATruncation() throws Exception {
        Pair p = connect();
        SecureChannel b = responder(SHARED);
        b.start();
        b.receive(p.helloA(), 0, 20);
        assertThatThrownBy(b::endOfStream).isInstanceOf(SyncProtocolException.class)
                .hasMessageContaining("during the handshake (20 of 51 HELLO bytes received)");

        SecureChannel c = responder(SHARED);
        c.start();
        c.receive(concat(p.helloA(), Arrays.copyOf(p.authA(), 30)));
        assertThatThrownBy(c::endOfStream).isInstanceOf(SyncProtocolException.class)
                .hasMessageContaining("HELLO received, no AUTH");

        byte[] f = p.a().send(SyncFixtures.upsert(SyncFixtures.v4Gcm()));
        assertThat(p.b().receive(f, 0, f.length - 1).messages()).isEmpty();
        assertThatThrownBy(() -> p.b().endOfStream()).isInstanceOf(SyncProtocolException.class)
                .hasMessageContaining("middle of a frame (" + (f.length - 1) + " bytes");

        Pair q = connect();
        q.b().receive(q.a().send(new SyncMessage.Bye("done")));
        q.b().endOfStream(); // between frames: a clean close
        assertThat(q.b().state()).isEqualTo(SecureChannel.State.AUTHENTICATED);
    }

    @Test
    void aHelloWithAnotherMagicIsRefusedAtTheFirstWrongByte() throws Exception {
        SecureChannel b = responder(SHARED);
        b.start();
        assertThatThrownBy(() -> b.receive("G".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(SyncProtocolException.class).hasMessageContaining("bad HELLO: magic");

        SecureChannel c = responder(SHARED);
        c.start();
        byte[] almost = "TNDMSYNX".getBytes(StandardCharsets.US_ASCII);
        assertThat(c.receive(almost, 0, 7).reply()).isEmpty();
        assertThatThrownBy(() -> c.receive(almost, 7, 1)).isInstanceOf(SyncProtocolException.class)
                .hasMessageContaining("magic");
    }

    @Test
    void aHelloOfAnotherVersionOrWithUnknownFlagsIsRefused() throws Exception {
        byte[] hello = initiator(SHARED).start();
        for (int version : new int[] {0, Hello.VERSION - 1, Hello.VERSION + 1, 0xffff}) {
            byte[] h = hello.clone();
            h[8] = (byte) (version >>> 8);
            h[9] = (byte) version;
            SecureChannel b = responder(SHARED);
            b.start();
            assertThatThrownBy(() -> b.receive(h)).isInstanceOf(SyncProtocolException.class)
                    .hasMessage("peer speaks sync protocol version " + version + ", this node " + Hello.VERSION);
        }
        byte[] h = hello.clone();
        h[50] = (byte) 0x81;
        SecureChannel b = responder(SHARED);
        b.start();
        assertThatThrownBy(() -> b.receive(h)).isInstanceOf(SyncProtocolException.class)
                .hasMessageContaining("bad HELLO: flags: unknown bits 80");
    }

    /** A HELLO altered on the way in a way both ends accept (other flags) is caught by the AUTH transcript. */
    @Test
    void anAlteredHelloIsCaughtByTheAuthTranscript() throws Exception {
        Pair p = connect();
        byte[] altered = p.helloA().clone();
        altered[50] = 0; // the initiator's "I want to be master" removed
        SecureChannel b = responder(SHARED);
        b.start();
        assertThat(b.receive(altered).reply()).isNotEmpty(); // the HELLO itself is acceptable
        assertThatThrownBy(() -> b.receive(p.authA())).isInstanceOf(SyncProtocolException.class)
                .hasMessageContaining("AUTH does not match the HELLOs");
    }

    @Test
    void authMustComeFirstAndOnlyOnce() throws Exception {
        Pair p = connect();
        ChannelKeys keys = p.a().handshake().keys();

        FrameSealer first = new FrameSealer(keys.initiatorToResponder(), Side.DIRECTION_I2R);
        byte[] hb = new SyncMessage.Heartbeat(1).encode();
        assertThatThrownBy(() -> freshResponder().receive(concat(p.helloA(), first.seal(hb, hb.length))))
                .isInstanceOf(SyncProtocolException.class).hasMessage("peer sent HEARTBEAT before AUTH");

        FrameSealer wrongHash = new FrameSealer(keys.initiatorToResponder(), Side.DIRECTION_I2R);
        byte[] auth = new SyncMessage.Auth(new byte[32]).encode();
        assertThatThrownBy(() -> freshResponder().receive(concat(p.helloA(), wrongHash.seal(auth, auth.length))))
                .isInstanceOf(SyncProtocolException.class).hasMessageContaining("AUTH does not match");

        FrameSealer twice = new FrameSealer(keys.initiatorToResponder(), Side.DIRECTION_I2R, 1);
        byte[] again = new SyncMessage.Auth(p.a().handshake().transcriptHash()).encode();
        assertThatThrownBy(() -> p.b().receive(twice.seal(again, again.length)))
                .isInstanceOf(SyncProtocolException.class).hasMessage("peer sent AUTH twice");
    }

    private static SecureChannel freshResponder() {
        SecureChannel b = responder(SHARED);
        b.start();
        return b;
    }

    @Test
    void aMalformedMessageInAnAuthenticFrameFailsTheChannel() throws Exception {
        Pair p = connect();
        FrameSealer s = new FrameSealer(p.a().handshake().keys().initiatorToResponder(), Side.DIRECTION_I2R, 1);
        byte[] bad = {99, 1, 2};
        assertThatThrownBy(() -> p.b().receive(s.seal(bad, bad.length))).isInstanceOf(SyncProtocolException.class)
                .hasMessage("malformed message in frame 1: type: code 99");
    }

    @Test
    void sendingIsForAuthenticatedChannelsAndNeverAuth() throws Exception {
        SecureChannel a = initiator(SHARED);
        assertThatThrownBy(() -> a.receive(new byte[1])).isInstanceOf(IllegalStateException.class);
        a.start();
        assertThatThrownBy(a::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.send(new SyncMessage.Heartbeat(1))).isInstanceOf(IllegalStateException.class);
        Pair p = connect();
        assertThatThrownBy(() -> p.a().send(new SyncMessage.Auth(new byte[32])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSequenceSpaceEndsAt2To63() throws Exception {
        Pair p = connect();
        p.a().restartSendingAt(Long.MAX_VALUE);
        byte[] last = p.a().send(new SyncMessage.Heartbeat(1));
        assertThat(HEX.formatHex(last, 4, 12)).isEqualTo("7fffffffffffffff");
        assertThatThrownBy(() -> p.a().send(new SyncMessage.Heartbeat(2))).isInstanceOf(SyncProtocolException.class)
                .hasMessageContaining("reconnect to rekey");
        assertThat(p.a().state()).isEqualTo(SecureChannel.State.FAILED);

        FrameOpener o = new FrameOpener(p.a().handshake().keys().initiatorToResponder(), Side.DIRECTION_I2R,
                Long.MAX_VALUE);
        Frame f = new FrameReader().feed(last).getFirst();
        assertThat(SyncMessage.decode(o.open(f))).isEqualTo(new SyncMessage.Heartbeat(1));
        assertThatThrownBy(() -> o.open(f)).isInstanceOf(SyncProtocolException.class)
                .hasMessageContaining("where none was expected");
    }

    @Test
    void noncesComeFromTheInjectedSource() {
        byte[] h1 = new SecureChannel(Side.INITIATOR, SHARED, 1, 0, new SplittableRandom(5)).start();
        byte[] h2 = new SecureChannel(Side.INITIATOR, SHARED, 1, 0, new SplittableRandom(5)).start();
        byte[] h3 = new SecureChannel(Side.INITIATOR, SHARED, 1, 0, new SplittableRandom(6)).start();
        assertThat(h1).isEqualTo(h2);
        assertThat(Arrays.copyOfRange(h3, 10, 42)).isNotEqualTo(Arrays.copyOfRange(h1, 10, 42));
        assertThat(Arrays.copyOfRange(initiator(SHARED).start(), 10, 42)).isEqualTo(NONCE_A);
    }

    @Test
    void keysAreNotPrinted() {
        assertThat(SHARED.toString()).isEqualTo("SyncKey[32 bytes]");
        assertThat(ChannelKeys.derive(SHARED, NONCE_A, NONCE_B).toString()).doesNotContain(KNOWN_I2R.substring(0, 6));
        assertThatThrownBy(() -> new SyncKey(new byte[15])).isInstanceOf(IllegalArgumentException.class);
    }
}
