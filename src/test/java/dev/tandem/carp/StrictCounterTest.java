package dev.tandem.carp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StrictCounterTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final StrictCounter counter = new StrictCounter(clock::get);

    @Test
    void followsTheClockWhileItAdvances() {
        assertThat(counter.next()).isEqualTo(1_000_000);
        clock.set(1_000_500);
        assertThat(counter.next()).isEqualTo(1_000_500);
        clock.set(2_000_000);
        assertThat(counter.next()).isEqualTo(2_000_000);
    }

    @Test
    void stepsByOneWhenTheClockStandsStill() {
        assertThat(counter.next()).isEqualTo(1_000_000);
        assertThat(counter.next()).isEqualTo(1_000_001);
        assertThat(counter.next()).isEqualTo(1_000_002);
    }

    @Test
    void neverGoesBackWithTheClock() {
        clock.set(5_000_000);
        assertThat(counter.next()).isEqualTo(5_000_000);
        clock.set(4_000_000);
        assertThat(counter.next()).isEqualTo(5_000_001);
        assertThat(counter.next()).isEqualTo(5_000_002);
        clock.set(5_000_001);
        assertThat(counter.next()).isEqualTo(5_000_003);
        clock.set(6_000_000);
        assertThat(counter.next()).isEqualTo(6_000_000);
    }

    @Test
    void systemClockIsMicrosecondsSinceTheEpoch() {
        long before = System.currentTimeMillis() * 1000;
        long micros = new StrictCounter(CarpAuth::wallClockMicros).next();
        long after = System.currentTimeMillis() * 1000 + 1000;
        assertThat(micros).isBetween(before, after);
    }
}
