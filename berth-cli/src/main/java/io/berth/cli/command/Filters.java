package io.berth.cli.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --filter key=value} flags gathered into the API's filters map. */
public final class Filters {

    private Filters() {}

    public static Map<String, List<String>> parse(List<String> flags) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (String f : flags) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("bad format of filter (expected name=value)");
            }
            filters.computeIfAbsent(f.substring(0, eq).trim().toLowerCase(), k -> new ArrayList<>()).add(f.substring(eq + 1));
        }
        return filters;
    }
}
