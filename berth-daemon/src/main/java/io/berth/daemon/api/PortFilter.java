package io.berth.daemon.api;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.berth.oci.errors.InvalidArgumentException;

/**
 * The {@code publish=} and {@code expose=} filters of {@code GET /containers/json}: values "80", "80/udp" or
 * "8000-8080/tcp", each standing for a set of "PORT/proto" keys. No value: everything matches.
 */
record PortFilter(Set<String> ports) {
    static PortFilter parse(String key, List<String> values) {
        Set<String> out = new HashSet<>();
        for (String v : values) {
            if (v.contains(":")) throw new InvalidArgumentException("filter for '" + key + "' should not contain ':': " + v);
            int slash = v.indexOf('/');
            String range = slash < 0 ? v : v.substring(0, slash);
            String proto = slash < 0 ? "tcp" : v.substring(slash + 1);
            int dash = range.indexOf('-');
            try {
                int start = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
                int end = dash < 0 ? start : Integer.parseInt(range.substring(dash + 1));
                if (start < 0 || end > 65535 || end < start) throw new NumberFormatException();
                for (int p = start; p <= end; p++) out.add(p + "/" + proto);
            } catch (NumberFormatException e) {
                throw new InvalidArgumentException("error while looking up for " + key + " " + range + ": invalid port range");
            }
        }
        return new PortFilter(Set.copyOf(out));
    }

    boolean matchesAny(List<String> containerPorts) {
        return ports.isEmpty() || containerPorts.stream().anyMatch(ports::contains);
    }
}
