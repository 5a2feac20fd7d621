package io.berth.daemon.api;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.berth.oci.errors.InvalidArgumentException;

/** A prune's `until` filter: a timestamp (Unix seconds or RFC 3339) or a Go duration before now ("24h", "1h30m"). */
final class PruneUntil {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|m|s|ms)");

    private PruneUntil() {}

    static Instant parse(String value, Instant now) {
        if (value != null && !value.isEmpty() && DURATION.matcher(value).replaceAll("").isEmpty()) {
            Matcher m = DURATION.matcher(value);
            double seconds = 0;
            while (m.find()) {
                double n = Double.parseDouble(m.group(1));
                seconds += switch (m.group(2)) {
                    case "h" -> n * 3600;
                    case "m" -> n * 60;
                    case "s" -> n;
                    default -> n / 1000;
                };
            }
            if (seconds > Duration.between(Instant.EPOCH, now).toSeconds()) {
                throw new InvalidArgumentException("invalid time value: " + value);
            }
            return now.minusMillis((long) (seconds * 1000));
        }
        return DockerTime.parse(value);
    }
}
