package io.berth.daemon.api;

import java.time.DateTimeException;
import java.time.Instant;

import io.berth.oci.errors.InvalidArgumentException;

/** Timestamps as the Engine API writes and reads them. */
public final class DockerTime {
    /** Go's zero time, which Docker prints for "never". */
    public static final String ZERO = "0001-01-01T00:00:00Z";

    private DockerTime() {}

    public static String format(Instant t) {
        return t == null ? ZERO : t.toString();
    }

    /** Accepts Unix seconds (with fraction) or RFC 3339, as `--since`/`--until` send them. */
    public static Instant parse(String value) {
        if (value == null || value.isEmpty()) return null;
        try {
            if (value.matches("\\d+(\\.\\d+)?")) {
                String[] parts = value.split("\\.");
                long nanos = parts.length > 1 ? Long.parseLong((parts[1] + "000000000").substring(0, 9)) : 0;
                return Instant.ofEpochSecond(Long.parseLong(parts[0]), nanos);
            }
            return Instant.parse(value);
        } catch (NumberFormatException | DateTimeException e) { // also an epoch second beyond Instant.MAX
            throw new InvalidArgumentException("invalid time value: " + value);
        }
    }
}
