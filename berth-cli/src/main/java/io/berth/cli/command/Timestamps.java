package io.berth.cli.command;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

import io.berth.oci.GoDuration;
import io.berth.oci.errors.InvalidArgumentException;
import java.util.regex.Pattern;

/**
 * docker's {@code --since/--until} values: a Go duration relative to now ("10m", "1h30m"), a Unix
 * timestamp ("1700000000.5"), or an RFC 3339 date/time; sent to the daemon as Unix seconds.
 */
public final class Timestamps {

    private static final Pattern UNIX = Pattern.compile("^\\d+(\\.\\d{1,9})?$");

    private Timestamps() {}

    public static String toApi(String value, Instant now) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (UNIX.matcher(value).matches()) {
            return value;
        }
        Duration d = parseDuration(value);
        if (d != null) {
            Instant t = now.minus(d);
            return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
        }
        try {
            return Long.toString(OffsetDateTime.parse(value).toEpochSecond());
        } catch (DateTimeParseException ignored) {
            // try the forms without an offset
        }
        try {
            return Long.toString(LocalDateTime.parse(value).atZone(ZoneId.systemDefault()).toEpochSecond());
        } catch (DateTimeParseException ignored) {
            // try a plain date
        }
        try {
            return Long.toString(LocalDate.parse(value).atStartOfDay(ZoneId.systemDefault()).toEpochSecond());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("failed to parse value as time or duration: \"" + value + "\"");
        }
    }

    /** A Go duration string, or null when the text is not one. */
    static Duration parseDuration(String text) {
        try {
            return Duration.ofNanos(GoDuration.nanos(text));
        } catch (InvalidArgumentException e) {
            return null;
        }
    }
}
