package io.berth.build.exec;

import io.berth.oci.errors.InvalidArgumentException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Go duration strings ("30s", "1m30s", "500ms") as HEALTHCHECK options use them, into nanoseconds. */
final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private GoDuration() {
    }

    static long nanos(String text) {
        if (text.equals("0")) {
            return 0;
        }
        Matcher m = PART.matcher(text);
        int pos = 0;
        double total = 0;
        while (pos < text.length() && m.find(pos) && m.start() == pos) {
            double v = Double.parseDouble(m.group(1));
            total += v * switch (m.group(2)) {
                case "ns" -> 1d;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            pos = m.end();
        }
        if (pos != text.length() || text.isEmpty()) {
            throw new InvalidArgumentException("invalid duration " + text);
        }
        return (long) total;
    }
}
