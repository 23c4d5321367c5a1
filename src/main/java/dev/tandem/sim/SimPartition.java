package dev.tandem.sim;

import dev.tandem.net.IpAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Which simulated nodes can reach each other: groups named in a partition, everyone else together. */
final class SimPartition {

    private final Map<IpAddress, Integer> side = new HashMap<>();

    @SafeVarargs
    final void cut(List<IpAddress>... groups) {
        side.clear();
        for (int g = 0; g < groups.length; g++) {
            for (IpAddress a : groups[g]) {
                side.put(a, g + 1);
            }
        }
    }

    void heal() {
        side.clear();
    }

    boolean reachable(IpAddress x, IpAddress y) {
        return Objects.equals(side.get(x), side.get(y));
    }
}
