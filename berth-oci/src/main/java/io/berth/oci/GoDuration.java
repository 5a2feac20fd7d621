package io.berth.oci;

import io.berth.oci.errors.InvalidArgumentException;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's duration text ("30s", "1m30s", "500ms", "1.5h"), which Docker uses wherever a duration is typed by hand:
 * HEALTHCHECK options, the CLI's --health-* flags, and the messages that show them back. Durations are
 * nanoseconds, as in Docker's API.
 */
public final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d*(?:\\.\\d*)?)(ns|us|µs|μs|ms|s|m|h)");

    private GoDuration() {
    }

    /** Parses as Go's time.ParseDuration: a sign, then number-unit pairs; "0" alone needs no unit. */
    public static long nanos(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) return 0;
        Matcher m = PART.matcher(s);
        int pos = 0;
        BigDecimal total = BigDecimal.ZERO;
        while (pos < s.length() && m.find(pos) && m.start() == pos) {
            String number = m.group(1);
            if (number.isEmpty() || number.equals(".")) break;
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total = total.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unit)));
            pos = m.end();
        }
        if (pos != s.length() || s.isEmpty() || total.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new InvalidArgumentException("invalid duration \"" + text + "\"");
        }
        long n = total.longValue();
        return negative ? -n : n;
    }

    /** Formats as Go's Duration.String: "0s", "1ms", "1.5s", "1m30s", "1h0m0s". */
    public static String format(long nanos) {
        if (nanos == 0) return "0s";
        if (nanos < 0) return "-" + format(-nanos);
        if (nanos < 1_000L) return nanos + "ns";
        if (nanos < 1_000_000L) return fraction(nanos, 1_000L) + "µs";
        if (nanos < 1_000_000_000L) return fraction(nanos, 1_000_000L) + "ms";
        long hours = nanos / 3_600_000_000_000L;
        long minutes = nanos / 60_000_000_000L % 60;
        String seconds = fraction(nanos % 60_000_000_000L, 1_000_000_000L) + "s";
        if (hours > 0) return hours + "h" + minutes + "m" + seconds;
        if (minutes > 0) return minutes + "m" + seconds;
        return seconds;
    }

    private static String fraction(long value, long unit) {
        return BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit)).stripTrailingZeros().toPlainString();
    }
}
