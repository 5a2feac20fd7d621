package io.berth.runtime;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

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

    /** Nanoseconds since the epoch, or {@link #INVALID}. */
    long parse(byte[] b, int from, int to) {
        if (to - from < SECONDS_PREFIX + 1) return INVALID;
        if (!enabled) return 0;
        try {
            if (!cached || !Arrays.equals(prefix, 0, SECONDS_PREFIX, b, from, from + SECONDS_PREFIX)) {
                prefixEpochSecond = LocalDateTime.parse(new String(b, from, SECONDS_PREFIX, StandardCharsets.US_ASCII))
                        .toEpochSecond(ZoneOffset.UTC);
                System.arraycopy(b, from, prefix, 0, SECONDS_PREFIX);
                cached = true;
            }
            int i = from + SECONDS_PREFIX;
            long nanos = 0;
            if (b[i] == '.') {
                int digits = 0;
                for (i++; i < to && b[i] >= '0' && b[i] <= '9'; i++, digits++) {
                    if (digits < 9) nanos = nanos * 10 + (b[i] - '0');
                }
                if (digits == 0) return INVALID;
                for (; digits < 9; digits++) nanos *= 10;
            }
            int offsetSeconds;
            if (i == to - 1 && b[i] == 'Z') {
                offsetSeconds = 0;
            } else if (to - i == 6 && (b[i] == '+' || b[i] == '-') && b[i + 3] == ':') {
                int hh = digit(b[i + 1]) * 10 + digit(b[i + 2]);
                int mm = digit(b[i + 4]) * 10 + digit(b[i + 5]);
                offsetSeconds = (b[i] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
            } else {
                return INVALID;
            }
            return (prefixEpochSecond - offsetSeconds) * 1_000_000_000L + nanos;
        } catch (DateTimeException | NumberFormatException e) {
            return INVALID;
        }
    }

    private static int digit(byte c) {
        if (c < '0' || c > '9') throw new NumberFormatException("not a digit");
        return c - '0';
    }
}
