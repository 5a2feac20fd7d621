package io.berth.cli.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;

/** Docker's human-readable durations and sizes (the go-units rules, reproduced by behaviour). */
public final class Humanize {

    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};

    private Humanize() {}

    /** "Less than a second", "3 seconds", "About a minute", "2 hours", "3 weeks" ... */
    public static String duration(Duration d) {
        double secondsExact = d.toNanos() / 1e9;
        long seconds = (long) secondsExact;
        if (seconds < 1) {
            return "Less than a second";
        }
        if (seconds == 1) {
            return "1 second";
        }
        if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = (long) (secondsExact / 60);
        if (minutes == 1) {
            return "About a minute";
        }
        if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = (long) (secondsExact / 3600 + 0.5);
        if (hours == 1) {
            return "About an hour";
        }
        if (hours < 48) {
            return hours + " hours";
        }
        if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        }
        if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        }
        if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return (long) (secondsExact / 3600 / 24 / 365) + " years";
    }

    /** Decimal size with 4 significant digits, as units.HumanSize: "4.264MB". */
    public static String size(double bytes) {
        return size(bytes, 4);
    }

    /** Decimal size with the given significant digits, as units.HumanSizeWithPrecision: "4.26MB" for 3. */
    public static String size(double bytes, int precision) {
        return scaled(bytes, 1000.0, DECIMAL, precision);
    }

    /** Binary size as units.BytesSize: "1.5MiB". */
    public static String bytes(double bytes) {
        return scaled(bytes, 1024.0, BINARY, 4);
    }

    private static String scaled(double size, double base, String[] units, int precision) {
        int i = 0;
        while (size >= base && i < units.length - 1) {
            size /= base;
            i++;
        }
        return significant(size, precision) + units[i];
    }

    /** Go's %.Ng: N significant digits, trailing zeros dropped. */
    static String significant(double value, int digits) {
        if (value == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(digits, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        return rounded.toPlainString();
    }

    /** Go's strconv.Quote-free ellipsis: keep {@code max - 1} characters and add "…" when longer. */
    public static String ellipsis(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        if (max <= 0) {
            return "";
        }
        int end = s.offsetByCodePoints(0, max - 1);
        return s.substring(0, end) + "…";
    }

    /** Truncated image or container id: the hex without "sha256:", 12 characters. */
    public static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }
}
