package dev.tandem.esp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.esp.ReplayWindow.Verdict;
import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {

    private static Verdict offer(ReplayWindow w, long seq) {
        Verdict v = w.check(seq);
        if (v == Verdict.NEW) {
            w.accept(seq);
        }
        return v;
    }

    @Test
    void acceptsInOrderAndRejectsDuplicates() {
        ReplayWindow w = new ReplayWindow(64, false);
        assertThat(offer(w, 1)).isEqualTo(Verdict.NEW);
        assertThat(offer(w, 2)).isEqualTo(Verdict.NEW);
        assertThat(offer(w, 2)).isEqualTo(Verdict.REPLAYED);
        assertThat(offer(w, 1)).isEqualTo(Verdict.REPLAYED);
        assertThat(w.top()).isEqualTo(2);
    }

    @Test
    void sequenceZeroIsNeverValidWithoutEsn() {
        assertThat(new ReplayWindow(64, false).check(0)).isEqualTo(Verdict.INVALID);
    }

    @Test
    void reorderedPacketsInsideTheWindowAreAcceptedOnce() {
        ReplayWindow w = new ReplayWindow(64, false);
        assertThat(offer(w, 100)).isEqualTo(Verdict.NEW);
        assertThat(offer(w, 40)).isEqualTo(Verdict.NEW);
        assertThat(offer(w, 37)).isEqualTo(Verdict.NEW);
        assertThat(offer(w, 37)).isEqualTo(Verdict.REPLAYED);
        assertThat(offer(w, 36)).as("100 - 36 = 64: just outside").isEqualTo(Verdict.TOO_OLD);
        assertThat(w.top()).isEqualTo(100);
    }

    @Test
    void checkAloneChangesNothing() {
        ReplayWindow w = new ReplayWindow(64, false);
        w.accept(10);
        assertThat(w.check(11)).isEqualTo(Verdict.NEW);
        assertThat(w.check(11)).isEqualTo(Verdict.NEW);
        assertThat(w.top()).isEqualTo(10);
    }

    @Test
    void largeJumpsClearTheWindow() {
        ReplayWindow w = new ReplayWindow(1024, false);
        for (long s = 1; s <= 1024; s++) {
            w.accept(s);
        }
        w.accept(100_000);
        assertThat(w.check(100_000 - 1023)).isEqualTo(Verdict.NEW);
        assertThat(w.check(100_000 - 1024)).isEqualTo(Verdict.TOO_OLD);
    }

    @Test
    void restoreTreatsEverythingBelowTheReplicatedTopAsSeen() {
        ReplayWindow w = new ReplayWindow(64, false);
        w.accept(5);
        w.restore(1000);
        assertThat(w.check(999)).isEqualTo(Verdict.REPLAYED);
        assertThat(w.check(1001)).isEqualTo(Verdict.NEW);
        w.restore(10);
        assertThat(w.top()).as("never moves back").isEqualTo(1000);
    }

    @Test
    void sizeLimits() {
        assertThatThrownBy(() -> new ReplayWindow(16, false)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ReplayWindow(32, false).size()).isEqualTo(32);
        assertThat(new ReplayWindow(4096, true).size()).isEqualTo(4096);
    }

    @Test
    void esnInfersTheHighHalfAcrossTheWrap() {
        ReplayWindow w = new ReplayWindow(64, true);
        long nearWrap = 0xffff_fff0L;
        w.accept(nearWrap);
        assertThat(w.infer((int) 0xffff_fff5L)).isEqualTo(0xffff_fff5L);
        assertThat(w.infer(3)).as("low value after the top: next subspace").isEqualTo(0x1_0000_0003L);
        w.accept(0x1_0000_0003L);
        assertThat(w.top()).isEqualTo(0x1_0000_0003L);
        // the window now spans the boundary: a late packet from before the wrap keeps the old high half
        assertThat(w.infer((int) 0xffff_fffaL)).isEqualTo(0xffff_fffaL);
        assertThat(w.check(0xffff_fffaL)).isEqualTo(Verdict.NEW);
        assertThat(w.check(0xffff_fff0L)).isEqualTo(Verdict.REPLAYED);
        assertThat(w.infer(9)).isEqualTo(0x1_0000_0009L);
        assertThat(w.infer(0)).isEqualTo(0x1_0000_0000L);
        assertThat(w.check(w.infer(0))).as("low half 0 is a valid ESN packet after a wrap").isEqualTo(Verdict.NEW);
    }

    /** The window against a plain model: the set of everything accepted and the highest value. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void behavesLikeTheSetModel(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int size = 32 + rng.nextInt(2000);
        ReplayWindow w = new ReplayWindow(size, false);
        BitSet seen = new BitSet();
        long top = 0;
        long next = 1;
        for (int i = 0; i < 20_000; i++) {
            long seq;
            int r = rng.nextInt(10);
            if (r < 6) {
                seq = next++;
            } else if (r < 9) {
                seq = Math.max(1, next - 1 - rng.nextInt(size + 50));
            } else {
                next += rng.nextInt(3 * size);
                seq = next++;
            }
            Verdict expected;
            if (seq > top) {
                expected = Verdict.NEW;
            } else if (top - seq >= size) {
                expected = Verdict.TOO_OLD;
            } else {
                expected = seen.get((int) seq) ? Verdict.REPLAYED : Verdict.NEW;
            }
            assertThat(offer(w, seq)).as("seq %d top %d size %d", seq, top, size).isEqualTo(expected);
            if (expected == Verdict.NEW) {
                seen.set((int) seq);
                top = Math.max(top, seq);
            }
        }
    }
}
