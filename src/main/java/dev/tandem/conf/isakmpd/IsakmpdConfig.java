package dev.tandem.conf.isakmpd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * isakmpd's configuration database: named sections of tag=value pairs, the
 * model the IKE daemon reads its peers, transforms and connections from.
 * Lists are comma-separated values, as in isakmpd.conf(5).
 */
public final class IsakmpdConfig {

    private final Map<String, Map<String, String>> sections = new LinkedHashMap<>();

    /** Applies one command; {@link ConfCommand.Teardown} is an action, not a change, and is ignored. */
    public void apply(ConfCommand c) {
        switch (c) {
            case ConfCommand.Set s -> {
                Map<String, String> sec = sections.computeIfAbsent(s.section(), k -> new LinkedHashMap<>());
                if (s.force() || !sec.containsKey(s.tag())) {
                    sec.put(s.tag(), s.value());
                }
            }
            case ConfCommand.Add a -> {
                Map<String, String> sec = sections.computeIfAbsent(a.section(), k -> new LinkedHashMap<>());
                List<String> list = list(sec.get(a.tag()));
                if (!list.contains(a.value())) {
                    list.add(a.value());
                }
                sec.put(a.tag(), String.join(",", list));
            }
            case ConfCommand.Remove r -> {
                Map<String, String> sec = sections.get(r.section());
                if (sec != null && sec.containsKey(r.tag())) {
                    List<String> list = list(sec.get(r.tag()));
                    list.remove(r.value());
                    if (list.isEmpty()) {
                        sec.remove(r.tag());
                    } else {
                        sec.put(r.tag(), String.join(",", list));
                    }
                }
            }
            case ConfCommand.RemoveSection r -> sections.remove(r.section());
            case ConfCommand.Teardown t -> {
                // connection teardown is carried out by the IKE daemon
            }
        }
    }

    public void applyAll(List<ConfCommand> commands) {
        commands.forEach(this::apply);
    }

    public Optional<String> get(String section, String tag) {
        Map<String, String> sec = sections.get(section);
        return sec == null ? Optional.empty() : Optional.ofNullable(sec.get(tag));
    }

    /** The values of a comma-separated list tag, empty when absent. */
    public List<String> getList(String section, String tag) {
        return get(section, tag).map(IsakmpdConfig::list).orElseGet(ArrayList::new);
    }

    public boolean hasSection(String section) {
        return sections.containsKey(section);
    }

    public Map<String, String> section(String section) {
        Map<String, String> sec = sections.get(section);
        return sec == null ? Map.of() : Map.copyOf(sec);
    }

    private static List<String> list(String value) {
        if (value == null || value.isEmpty()) {
            return new ArrayList<>();
        }
        return new ArrayList<>(Arrays.asList(value.split(",")));
    }
}
