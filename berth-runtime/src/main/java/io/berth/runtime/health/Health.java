package io.berth.runtime.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * State.Health of a container with a healthcheck, and Docker's rules for moving it on. Each start begins at
 * STARTING with no failing streak (the log of earlier runs stays). A success makes it HEALTHY and clears the
 * streak; a failure adds to the streak, unless the container is still STARTING within its start period, and
 * reaching the retries makes it UNHEALTHY. The log keeps the newest {@link #MAX_LOG} results.
 */
public record Health(Status status, int failingStreak, List<HealthResult> log) {
    public static final int MAX_LOG = 5;

    public enum Status {
        STARTING, HEALTHY, UNHEALTHY;

        /** "starting", "healthy", "unhealthy" as the API spells them. */
        public String dockerName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Health {
        status = status == null ? Status.STARTING : status;
        log = log == null ? List.of() : List.copyOf(log);
    }

    /** The state a (re)start begins with: STARTING, no streak, the earlier log kept as Docker keeps it. */
    public static Health starting(Health previous) {
        return new Health(Status.STARTING, 0, previous == null ? List.of() : previous.log);
    }

    /** The state after one more check of a run that started at {@code startedAt}. */
    public Health after(HealthResult result, HealthConfig config, Instant startedAt) {
        List<HealthResult> newLog = new ArrayList<>(log);
        newLog.add(result);
        if (newLog.size() > MAX_LOG) newLog = newLog.subList(newLog.size() - MAX_LOG, newLog.size());
        if (result.exitCode() == 0) return new Health(Status.HEALTHY, 0, newLog);
        boolean inStartPeriod = status == Status.STARTING && startedAt != null
                && Duration.between(startedAt, result.start()).toNanos() < config.effectiveStartPeriod();
        if (inStartPeriod) return new Health(status, failingStreak, newLog);
        int streak = failingStreak + 1;
        return new Health(streak >= config.effectiveRetries() ? Status.UNHEALTHY : status, streak, newLog);
    }

    /** Nanoseconds until the next check: the start interval while STARTING within the start period, else the interval. */
    public long nextDelay(HealthConfig config, Instant startedAt, Instant now) {
        boolean inStartPeriod = startedAt != null && Duration.between(startedAt, now).toNanos() < config.effectiveStartPeriod();
        return inStartPeriod && status == Status.STARTING ? config.effectiveStartInterval() : config.effectiveInterval();
    }

    /** What `docker ps` adds after "Up ...": "health: starting", "healthy" or "unhealthy". */
    public String summary() {
        return status == Status.STARTING ? "health: starting" : status.dockerName();
    }
}
