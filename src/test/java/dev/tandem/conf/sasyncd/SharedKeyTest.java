package dev.tandem.conf.sasyncd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SharedKeyTest {

    private static byte[] key(int n, int fill) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    @Test
    void toStringGivesTheSizeOnly() {
        assertThat(new SharedKey(key(24, 0x41)).toString()).isEqualTo("SharedKey[192 bits, hidden]");
    }

    @Test
    void theKeyCannotBeChangedFromOutside() {
        byte[] in = key(16, 1);
        SharedKey k = new SharedKey(in);
        in[0] = 9;
        byte[] out = k.bytes();
        out[1] = 9;
        assertThat(k.bytes()).containsExactly(key(16, 1));
    }

    @Test
    void onlyAesKeySizes() {
        for (int n : new int[] {0, 15, 17, 23, 25, 31, 33, 64}) {
            assertThatThrownBy(() -> new SharedKey(new byte[n])).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(new SharedKey(new byte[32]).length()).isEqualTo(32);
    }

    @Test
    void equalityIsByValue() {
        assertThat(new SharedKey(key(16, 7))).isEqualTo(new SharedKey(key(16, 7)))
                .isNotEqualTo(new SharedKey(key(16, 8)))
                .hasSameHashCodeAs(new SharedKey(key(16, 8)));
    }
}
