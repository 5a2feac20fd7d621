package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.berth.oci.errors.InvalidArgumentException;

class PruneUntilTest {
    private static final Instant NOW = Instant.parse("2026-01-02T00:00:00Z");

    @Test
    void durationsCountBackFromNowAndTimestampsAreTaken() {
        assertThat(PruneUntil.parse("24h", NOW)).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(PruneUntil.parse("1h30m", NOW)).isEqualTo(Instant.parse("2026-01-01T22:30:00Z"));
        assertThat(PruneUntil.parse("1700000000", NOW)).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
        assertThat(PruneUntil.parse("2025-06-01T00:00:00Z", NOW)).isEqualTo(Instant.parse("2025-06-01T00:00:00Z"));
        assertThatThrownBy(() -> PruneUntil.parse("soon", NOW)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> PruneUntil.parse("99999999999h", NOW)).isInstanceOf(InvalidArgumentException.class);
    }
}
