package dev.tandem.carp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Demotion counters per interface group (OpenBSD's {@code ifg_carp_demoted}):
 * an administrator, a lost link, send errors or the replication layer raise
 * a group's counter, and every carp interface in the group advertises the
 * sum of its groups' counters, so peers with less demotion take over.
 */
public final class Demotion {

    public static final int MAX = 255;

    private final Map<String, Integer> counters = new TreeMap<>();
    private final List<Consumer<String>> listeners = new ArrayList<>();

    /** Makes {@code group} known, at 0 if new. */
    public void declare(String group) {
        counters.putIfAbsent(group, 0);
    }

    public boolean known(String group) {
        return counters.containsKey(group);
    }

    /**
     * Adds {@code delta} to {@code group}'s counter, kept within 0..255.
     *
     * @return the new value
     */
    public int adjust(String group, int delta) {
        int now = counters.getOrDefault(group, 0);
        int next = Math.clamp((long) now + delta, 0, MAX);
        counters.put(group, next);
        if (next != now) {
            listeners.forEach(l -> l.accept(group));
        }
        return next;
    }

    public int of(String group) {
        return counters.getOrDefault(group, 0);
    }

    /** What an interface in {@code groups} advertises: the sum of their counters, at most 255. */
    public int sum(Collection<String> groups) {
        long s = 0;
        for (String g : groups) {
            s += of(g);
        }
        return (int) Math.min(s, MAX);
    }

    /** Every group and its counter, sorted by name. */
    public Map<String, Integer> counters() {
        return java.util.Collections.unmodifiableMap(new TreeMap<>(counters));
    }

    /** Called with the group's name whenever its counter changes. */
    public void listen(Consumer<String> l) {
        listeners.add(l);
    }
}
