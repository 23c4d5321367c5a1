package dev.tandem.dataplane.offload;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tandem.dataplane.PacketBatch;
import java.io.IOException;
import java.util.List;

/**
 * Coverage-guided fuzzing of what comes from the TUN device: any header and
 * bytes. Split must never throw, must write nothing when it refuses, and
 * whatever it makes must come back unchanged through the coalescer and a
 * second split. Half the headers are drawn from the plausible values, so the
 * fuzzer reaches the segmenting code without a seed corpus.
 */
class OffloadFuzzTest {

    private static final int[] TYPES = {
        VirtioNetHdr.GSO_NONE, VirtioNetHdr.GSO_TCPV4, VirtioNetHdr.GSO_TCPV6, VirtioNetHdr.GSO_UDP_L4,
        VirtioNetHdr.GSO_TCPV4 | VirtioNetHdr.GSO_ECN, VirtioNetHdr.GSO_TCPV6 | VirtioNetHdr.GSO_ECN,
    };

    @FuzzTest(maxDuration = "30s")
    void splitAndMergeBack(FuzzedDataProvider data) throws IOException {
        VirtioNetHdr h;
        if (data.consumeBoolean()) {
            int type = data.pickValue(TYPES);
            h = new VirtioNetHdr(data.consumeBoolean() ? VirtioNetHdr.F_NEEDS_CSUM : 0, type, 0,
                    data.consumeInt(1, 9000), data.pickValue(new int[] {20, 24, 40, 48}),
                    type == VirtioNetHdr.GSO_UDP_L4 ? 6 : 16);
        } else {
            h = new VirtioNetHdr(data.consumeInt(0, 255), data.consumeInt(0, 255), data.consumeInt(0, 0xffff),
                    data.consumeInt(0, 0xffff), data.consumeInt(0, 0xffff), data.consumeInt(0, 0xffff));
        }
        int capacity = data.consumeInt(0, 256 * 1024);
        byte[] packet = data.consumeRemainingAsBytes();

        PacketBatch out = new PacketBatch(capacity);
        int n = Segmenter.split(packet, 0, packet.length, h, out);
        if (n < 0) {
            if (out.count() != 0 || !java.util.Arrays.equals(out.buf, new byte[capacity])) {
                throw new AssertionError("wrote although it refused");
            }
            return;
        }
        if (n != out.count()) {
            throw new AssertionError("returned " + n + " for " + out.count() + " packets");
        }
        List<byte[]> made = SegmenterTest.packets(out);
        if (made.stream().allMatch(p -> p.length <= Coalescer.MAX_PACKET)) {
            CoalescerTest.assertRoundTrip(made);
        }
    }
}
