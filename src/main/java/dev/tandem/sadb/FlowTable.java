package dev.tandem.sadb;

import dev.tandem.net.IpAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * An immutable snapshot of the flows, indexed for the data plane: per
 * direction and address family, a hash table per destination prefix length,
 * probed from the longest prefix down. The most specific flow wins: longest
 * destination prefix, then longest source prefix, then protocol and ports.
 * Changes build a new table; readers never lock.
 */
final class FlowTable {

    static final FlowTable EMPTY = new FlowTable(new LinkedHashMap<>());

    private static final Comparator<Flow> MOST_SPECIFIC_FIRST =
            Comparator.comparingInt((Flow f) -> f.selector().specificity()).reversed();

    /** Flows of one direction and family, bucketed by destination network. */
    private static final class Index {
        final int[] prefixes;
        final List<Map<IpAddress, Flow[]>> buckets;

        Index(List<Flow> flows) {
            TreeSet<Integer> lengths = new TreeSet<>(Comparator.reverseOrder());
            for (Flow f : flows) {
                lengths.add(f.selector().dst().prefix());
            }
            prefixes = lengths.stream().mapToInt(Integer::intValue).toArray();
            buckets = new ArrayList<>();
            for (int p : prefixes) {
                Map<IpAddress, List<Flow>> m = new HashMap<>();
                for (Flow f : flows) {
                    if (f.selector().dst().prefix() == p) {
                        m.computeIfAbsent(f.selector().dst().address(), k -> new ArrayList<>()).add(f);
                    }
                }
                Map<IpAddress, Flow[]> frozen = new HashMap<>();
                m.forEach((k, v) -> {
                    v.sort(MOST_SPECIFIC_FIRST);
                    frozen.put(k, v.toArray(Flow[]::new));
                });
                buckets.add(frozen);
            }
        }

        Flow lookup(IpAddress src, IpAddress dst, int proto, int sport, int dport) {
            for (int i = 0; i < prefixes.length; i++) {
                Flow[] candidates = buckets.get(i).get(dst.network(prefixes[i]));
                if (candidates != null) {
                    for (Flow f : candidates) {
                        if (f.selector().matches(src, dst, proto, sport, dport)) {
                            return f;
                        }
                    }
                }
            }
            return null;
        }
    }

    private final Map<Flow.Key, Flow> byKey;
    /** [direction][family]. */
    private final Index[][] indexes = new Index[2][2];

    private FlowTable(Map<Flow.Key, Flow> byKey) {
        this.byKey = byKey;
        for (FlowDirection d : FlowDirection.values()) {
            for (IpAddress.Family fam : IpAddress.Family.values()) {
                List<Flow> part = new ArrayList<>();
                for (Flow f : byKey.values()) {
                    if (f.direction() == d && f.selector().dst().family() == fam) {
                        part.add(f);
                    }
                }
                indexes[d.ordinal()][fam.ordinal()] = new Index(part);
            }
        }
    }

    /** A table with these flows added, each replacing any flow with the same key. */
    FlowTable with(Collection<Flow> flows) {
        Map<Flow.Key, Flow> m = new LinkedHashMap<>(byKey);
        for (Flow f : flows) {
            m.put(f.key(), f);
        }
        return new FlowTable(m);
    }

    FlowTable without(Collection<Flow.Key> keys) {
        Map<Flow.Key, Flow> m = new LinkedHashMap<>(byKey);
        keys.forEach(m::remove);
        return new FlowTable(m);
    }

    Flow get(Flow.Key key) {
        return byKey.get(key);
    }

    List<Flow> all() {
        return List.copyOf(byKey.values());
    }

    int size() {
        return byKey.size();
    }

    Flow lookup(FlowDirection d, IpAddress src, IpAddress dst, int proto, int sport, int dport) {
        return indexes[d.ordinal()][dst.family().ordinal()].lookup(src, dst, proto, sport, dport);
    }
}
