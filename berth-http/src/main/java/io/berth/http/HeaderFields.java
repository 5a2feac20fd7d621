package io.berth.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The header fields of a request or response head: read with bounds, looked up case-insensitively. */
final class HeaderFields {
    /** More fields than any real peer sends; the bound keeps a hostile one from growing the map forever. */
    static final int MAX_FIELDS = 256;
    /**
     * All field lines together, as Go's servers bound a head (1 MB): without it, 256 lines just under the line
     * limit would let each connection hold 16 MiB, and a few hundred connections a whole heap.
     */
    static final int MAX_TOTAL = 1 << 20;

    private HeaderFields() {}

    /** Reads field lines up to and including the empty line that ends the head. */
    static TreeMap<String, List<String>> read(InputStream in) throws IOException {
        TreeMap<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int count = 0;
        long total = 0;
        for (String line = HttpLines.readLine(in); !line.isEmpty(); line = HttpLines.readLine(in)) {
            total += line.length();
            if (total > MAX_TOTAL) {
                throw new IOException("header fields longer than " + MAX_TOTAL + " bytes in all");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + line);
            }
            if (++count > MAX_FIELDS) {
                throw new IOException("more than " + MAX_FIELDS + " header fields");
            }
            fields.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        return fields;
    }

    /** An unmodifiable copy that still compares names case-insensitively. */
    static Map<String, List<String>> copyOf(Map<String, List<String>> fields) {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        fields.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        return Collections.unmodifiableMap(copy);
    }

    static Optional<String> first(Map<String, List<String>> fields, String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    static boolean chunked(Map<String, List<String>> fields) {
        return first(fields, "Transfer-Encoding")
                .map(v -> v.toLowerCase(java.util.Locale.ROOT).contains("chunked")).orElse(false);
    }

    /** A Content-Length value: a non-negative decimal number. */
    static long length(String value) throws IOException {
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new NumberFormatException("negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("malformed Content-Length: " + value, e);
        }
    }
}
