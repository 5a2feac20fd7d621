package io.berth.runtime.health;

import java.time.Instant;

/** One check's outcome, an entry of State.Health.Log. exitCode 0 is healthy; anything else, -1 included, a failure. */
public record HealthResult(Instant start, Instant end, int exitCode, String output) {
    public HealthResult {
        output = output == null ? "" : output;
    }
}
