package io.berth.runtime.health;

import io.berth.oci.GoDuration;
import io.berth.oci.errors.InvalidArgumentException;

import java.util.List;

/**
 * A container's healthcheck, Docker's HealthConfig: durations in nanoseconds, where 0 means "inherit from the
 * image, else Docker's default" (30s interval, 30s timeout, no start period, 5s start interval, 3 retries).
 *
 * @param test [] inherit, ["NONE"] disabled, ["CMD", argv...] or ["CMD-SHELL", command]
 */
public record HealthConfig(List<String> test, long interval, long timeout, long startPeriod, long startInterval,
                           int retries) {
    public static final long DEFAULT_INTERVAL = 30_000_000_000L;
    public static final long DEFAULT_TIMEOUT = 30_000_000_000L;
    public static final long DEFAULT_START_PERIOD = 0;
    public static final long DEFAULT_START_INTERVAL = 5_000_000_000L;
    public static final int DEFAULT_RETRIES = 3;
    /** Docker's MinimumDuration for every non-zero duration. */
    public static final long MINIMUM_DURATION = 1_000_000L;

    public HealthConfig {
        test = test == null ? List.of() : List.copyOf(test);
    }

    /** What `--no-healthcheck` sends. */
    public static HealthConfig none() {
        return new HealthConfig(List.of("NONE"), 0, 0, 0, 0, 0);
    }

    /**
     * Docker's merge of a create request's healthcheck over the image's: the image's applies when the request
     * has none, and otherwise fills each field the request leaves empty (test [] and zero durations/retries).
     */
    public static HealthConfig merge(HealthConfig request, HealthConfig image) {
        if (image == null) return request;
        if (request == null) return image;
        return new HealthConfig(request.test.isEmpty() ? image.test : request.test,
                request.interval == 0 ? image.interval : request.interval,
                request.timeout == 0 ? image.timeout : request.timeout,
                request.startPeriod == 0 ? image.startPeriod : request.startPeriod,
                request.startInterval == 0 ? image.startInterval : request.startInterval,
                request.retries == 0 ? image.retries : request.retries);
    }

    /** Refuses what Docker's daemon refuses, in its words, and a test kind Docker would only warn about. */
    public void validate() {
        checkDuration("Interval", interval);
        checkDuration("Timeout", timeout);
        if (retries < 0) throw new InvalidArgumentException("Retries in Healthcheck cannot be negative");
        checkDuration("StartPeriod", startPeriod);
        checkDuration("StartInterval", startInterval);
        if (test.isEmpty()) return;
        switch (test.getFirst()) {
            case "NONE" -> { }
            case "CMD", "CMD-SHELL" -> {
                if (test.size() < 2) throw new InvalidArgumentException("Healthcheck " + test.getFirst() + " has no command");
            }
            default -> throw new InvalidArgumentException("Unknown healthcheck type '" + test.getFirst()
                    + "' (expected 'NONE', 'CMD' or 'CMD-SHELL')");
        }
    }

    private static void checkDuration(String field, long nanos) {
        if (nanos != 0 && nanos < MINIMUM_DURATION) {
            throw new InvalidArgumentException(field + " in Healthcheck cannot be less than " + GoDuration.format(MINIMUM_DURATION));
        }
    }

    /** True when checks run: a CMD or CMD-SHELL test. Disabled (NONE) and inherit-nothing ([]) mean no checks. */
    public boolean probes() {
        return !test.isEmpty() && (test.getFirst().equals("CMD") || test.getFirst().equals("CMD-SHELL")) && test.size() > 1;
    }

    /** The argv to exec: CMD's as given, CMD-SHELL's through {@code shell} (the image's SHELL, else /bin/sh -c). */
    public List<String> command(List<String> shell) {
        List<String> rest = test.subList(1, test.size());
        if (!test.getFirst().equals("CMD-SHELL")) return rest;
        List<String> argv = new java.util.ArrayList<>(shell.isEmpty() ? List.of("/bin/sh", "-c") : shell);
        argv.addAll(rest);
        return List.copyOf(argv);
    }

    public long effectiveInterval() {
        return interval == 0 ? DEFAULT_INTERVAL : interval;
    }

    public long effectiveTimeout() {
        return timeout == 0 ? DEFAULT_TIMEOUT : timeout;
    }

    public long effectiveStartPeriod() {
        return startPeriod == 0 ? DEFAULT_START_PERIOD : startPeriod;
    }

    public long effectiveStartInterval() {
        return startInterval == 0 ? DEFAULT_START_INTERVAL : startInterval;
    }

    public int effectiveRetries() {
        return retries <= 0 ? DEFAULT_RETRIES : retries;
    }
}
