package io.berth.daemon.api;

import java.time.Duration;

/** Docker's go-units HumanDuration: "Less than a second", "3 seconds", "About a minute", "2 hours". */
public final class HumanDuration {
    private HumanDuration() {}

    public static String of(Duration d) {
        long seconds = Math.max(0, d.getSeconds());
        if (seconds < 1) return "Less than a second";
        if (seconds == 1) return "1 second";
        if (seconds < 60) return seconds + " seconds";
        long minutes = seconds / 60;
        if (minutes == 1) return "About a minute";
        if (minutes < 60) return minutes + " minutes";
        long hours = Math.round(seconds / 3600.0);
        if (hours == 1) return "About an hour";
        if (hours < 48) return hours + " hours";
        if (hours < 24 * 7 * 2) return hours / 24 + " days";
        if (hours < 24 * 30 * 2) return hours / 24 / 7 + " weeks";
        if (hours < 24 * 365 * 2) return hours / 24 / 30 + " months";
        return hours / 24 / 365 + " years";
    }
}
