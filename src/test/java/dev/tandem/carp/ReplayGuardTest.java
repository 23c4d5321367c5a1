package dev.tandem.carp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.net.IpAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    static final long T0 = StrictAuthTest.T0;
    static final long W = ReplayGuard.WINDOW_MICROS;

    private final AtomicLong clock = new AtomicLong(T0);
    private final ReplayGuard guard = new ReplayGuard(clock::get);
    private final IpAddress a = IpAddress.parse("192.0.2.1").orElseThrow();
    private final IpAddress b = IpAddress.parse("2001:db8::2").orElseThrow();

    static IpAddress host(int i) {
        return IpAddress.parseV4("10.0." + (i >> 8) + "." + (i & 0xff)).orElseThrow();
    }

    @Test
    void aNewSourceIsAcceptedOnlyNearOurClock() {
        assertThat(guard.accept(a, T0 - W - 1)).as("captured more than a minute ago").isFalse();
        assertThat(guard.accept(a, T0 + W + 1)).as("more than a minute ahead").isFalse();
        assertThat(guard.tracked()).isZero();
        assertThat(guard.accept(a, T0 - W)).isTrue();
        assertThat(guard.accept(b, T0 + W)).isTrue();
    }

    @Test
    void aKnownSourceMustIncrease() {
        assertThat(guard.accept(a, T0)).isTrue();
        assertThat(guard.accept(a, T0)).as("same counter").isFalse();
        assertThat(guard.accept(a, T0 - 1)).as("lower").isFalse();
        assertThat(guard.accept(a, T0 + 1)).isTrue();
        clock.addAndGet(10 * W);
        // once known, the window no longer applies: a steady sender keeps going whatever our clock says
        assertThat(guard.accept(a, T0 + 2)).isTrue();
        assertThat(guard.accept(a, T0 + 2)).isFalse();
    }

    @Test
    void sourcesAreIndependent() {
        assertThat(guard.accept(a, T0 + 100)).isTrue();
        assertThat(guard.accept(b, T0 + 50)).isTrue();
        assertThat(guard.accept(b, T0 + 50)).isFalse();
        assertThat(guard.accept(a, T0 + 101)).isTrue();
    }

    @Test
    void aRefusedCounterDoesNotMoveTheMark() {
        assertThat(guard.accept(a, T0 + 10)).isTrue();
        assertThat(guard.accept(a, T0 + 5)).isFalse();
        assertThat(guard.accept(a, T0 + 6)).as("still below the accepted 10").isFalse();
        assertThat(guard.accept(a, T0 + 11)).isTrue();
    }

    @Test
    void forgetsTheSourceHeardFromLongestAgoBeyondItsBound() {
        ReplayGuard small = new ReplayGuard(clock::get, 3);
        assertThat(small.accept(host(1), T0)).isTrue();
        assertThat(small.accept(host(2), T0)).isTrue();
        assertThat(small.accept(host(3), T0)).isTrue();
        assertThat(small.accept(host(1), T0 + 1)).isTrue(); // host 1 is now the most recent
        assertThat(small.accept(host(4), T0)).isTrue();     // evicts host 2
        assertThat(small.tracked()).isEqualTo(3);
        assertThat(small.accept(host(1), T0 + 1)).as("remembered").isFalse();
        assertThat(small.accept(host(3), T0)).as("remembered").isFalse();
        // host 2 was forgotten: its old counter counts as new again, but only inside the window
        assertThat(small.accept(host(2), T0)).isTrue();
        clock.addAndGet(2 * W);
        assertThat(new ReplayGuard(clock::get, 3).accept(host(2), T0)).isFalse();
    }

    @Test
    void defaultBoundIs256Sources() {
        for (int i = 0; i < 300; i++) {
            assertThat(guard.accept(host(i), T0)).isTrue();
        }
        assertThat(guard.tracked()).isEqualTo(ReplayGuard.MAX_SOURCES);
        assertThat(guard.accept(host(299), T0)).isFalse();
        assertThat(guard.accept(host(0), T0)).as("evicted, inside the window").isTrue();
    }
}
