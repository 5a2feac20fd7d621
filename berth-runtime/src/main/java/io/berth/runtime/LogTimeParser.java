package io.berth.runtime;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * RFC 3339 times as conmon writes them ({@code 2026-12-07T09:53:43.780295775+00:00}), parsed without a
 * formatter: the date and time to the second are the same for every record of a second, so they are
 * parsed once and reused; fraction and offset are read by hand. A log of millions of records would
 * otherwise spend most of its read in {@code OffsetDateTime.parse}.
 */
final class LogTimeParser {
    static final long INVALID = Long.MIN_VALUE;
    private static final int SECONDS_PREFIX = 19; // yyyy-MM-ddTHH:mm:ss
    private final boolean enabled;
    private final byte[] prefix = new byte[SECONDS_PREFIX];
    private long prefixEpochSecond;
    private boolean cached;

    /** @param enabled false: times are not needed, every record's is 0 */
    LogTimeParser(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    /** Nanoseconds since the epoch, or {@link #INVALID}. */
    long parse(MemorySegment b, long from, long to) {
        if (to - from < SECONDS_PREFIX + 1) return INVALID;
        if (!enabled) return 0;
        try {
            if (!cached || !samePrefix(b, from)) {
                cached = false; // until the new prefix parsed
                MemorySegment.copy(b, ValueLayout.JAVA_BYTE, from, prefix, 0, SECONDS_PREFIX);
                prefixEpochSecond = LocalDateTime.parse(new String(prefix, StandardCharsets.US_ASCII)).toEpochSecond(ZoneOffset.UTC);
                cached = true;
            }
            long i = from + SECONDS_PREFIX;
            long nanos = 0;
            if (at(b, i) == '.') {
                int digits = 0;
                for (i++; i < to && at(b, i) >= '0' && at(b, i) <= '9'; i++, digits++) {
                    if (digits < 9) nanos = nanos * 10 + (at(b, i) - '0');
                }
                if (digits == 0) return INVALID;
                for (; digits < 9; digits++) nanos *= 10;
            }
            int offsetSeconds;
            if (i == to - 1 && at(b, i) == 'Z') {
                offsetSeconds = 0;
            } else if (to - i == 6 && (at(b, i) == '+' || at(b, i) == '-') && at(b, i + 3) == ':') {
                int hh = digit(at(b, i + 1)) * 10 + digit(at(b, i + 2));
                int mm = digit(at(b, i + 4)) * 10 + digit(at(b, i + 5));
                offsetSeconds = (at(b, i) == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
            } else {
                return INVALID;
            }
            return (prefixEpochSecond - offsetSeconds) * 1_000_000_000L + nanos;
        } catch (DateTimeException | NumberFormatException e) {
            return INVALID;
        }
    }

    private boolean samePrefix(MemorySegment b, long from) {
        for (int k = 0; k < SECONDS_PREFIX; k++) {
            if (prefix[k] != at(b, from + k)) return false;
        }
        return true;
    }

    private static byte at(MemorySegment b, long i) {
        return b.get(ValueLayout.JAVA_BYTE, i);
    }

    private static int digit(byte c) {
        if (c < '0' || c > '9') throw new NumberFormatException("not a digit");
        return c - '0';
    }
}
