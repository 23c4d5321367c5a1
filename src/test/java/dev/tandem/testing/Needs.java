package dev.tandem.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Preconditions of tests that need something from the host (root, a tool).
 * On a developer machine a missing precondition skips the test and says why;
 * in CI ({@code TANDEM_CI=1}, set by .ci/run) it fails the test, because
 * there every test must actually run.
 */
public final class Needs {

    private Needs() {
    }

    public static boolean inCi() {
        return "1".equals(System.getenv("TANDEM_CI"));
    }

    public static void need(boolean present, String why) {
        if (present) {
            return;
        }
        if (inCi()) {
            fail("CI must run this test, but " + why);
        }
        assumeTrue(false, why);
    }
}
