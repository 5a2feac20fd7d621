package io.berth.cli.progress;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.format.Humanize;
import java.time.Duration;
import java.time.Instant;

/**
 * A message's {@code progressDetail}, rendered the way docker's JSONProgress does on a terminal:
 * {@code "[=====>      ]  12.3MB/45.6MB 3s"}. The bar only appears on windows wider than 110
 * columns and the time left only on ones wider than 50, so narrow terminals keep the numbers.
 *
 * @param start epoch seconds when the transfer began, or 0 when the daemon did not say
 * @param units what is counted; empty means bytes
 */
public record ByteProgress(long current, long total, long start, String units, boolean hideCounts) {

    private static final int BAR = 50;

    public static ByteProgress of(JsonNode detail) {
        return new ByteProgress(detail.path("current").asLong(0), detail.path("total").asLong(0),
                detail.path("start").asLong(0), detail.path("units").asText(""), detail.path("hidecounts").asBoolean(false));
    }

    /** Whether there is anything to draw; a detail of zeros (docker sends {@code {}}) draws nothing. */
    public boolean hasCounts() {
        return current > 0 || total > 0;
    }

    public String render(int width, Instant now) {
        if (!hasCounts()) {
            return "";
        }
        if (total <= 0) {
            return units.isEmpty() ? String.format("%8s", Humanize.size(current)) : current + " " + units;
        }
        int filled = (int) Math.min(BAR, (int) ((double) current / total * 100) / 2);
        String bar = width > 110 ? "[" + "=".repeat(filled) + ">" + " ".repeat(BAR - filled) + "] " : "";
        String numbers;
        if (hideCounts) {
            numbers = "";
        } else if (units.isEmpty()) {
            // a current beyond the total means the daemon's total was wrong: show only what is known
            numbers = current > total ? String.format("%8s", Humanize.size(current))
                    : String.format("%8s/%s", Humanize.size(current), Humanize.size(total));
        } else {
            numbers = current > total ? current + " " + units : current + "/" + total + " " + units;
        }
        String left = "";
        if (current > 0 && start > 0 && filled < BAR && width > 50) {
            long perUnitNanos = Math.max(0, Duration.between(Instant.ofEpochSecond(start), now).toNanos()) / current;
            left = " " + goDuration((total - current) * perUnitNanos / 1_000_000_000L);
        }
        return bar + numbers + left;
    }

    /** Go's time.Duration.String() for whole seconds: "0s", "45s", "2m5s", "1h0m3s". */
    static String goDuration(long seconds) {
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        if (h > 0) {
            return h + "h" + m + "m" + s + "s";
        }
        return m > 0 ? m + "m" + s + "s" : s + "s";
    }
}
