package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.berth.oci.errors.InvalidArgumentException;

class DockerTimeTest {
    @Test
    void unixSeconds() {
        assertThat(DockerTime.parse("1700000000")).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
        assertThat(DockerTime.parse("0")).isEqualTo(Instant.EPOCH);
    }

    @Test
    void unixSecondsWithFraction() {
        assertThat(DockerTime.parse("1700000000.5")).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 500_000_000));
        assertThat(DockerTime.parse("1700000000.000000001")).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 1));
        // Digits beyond nanoseconds are cut, not rounded.
        assertThat(DockerTime.parse("1700000000.1234567899")).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 123_456_789));
    }

    @Test
    void rfc3339() {
        assertThat(DockerTime.parse("2024-01-02T03:04:05Z")).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(DockerTime.parse("2024-01-02T03:04:05.123456789Z")).isEqualTo(Instant.ofEpochSecond(1704164645L, 123456789));
        assertThat(DockerTime.parse("2024-01-02T05:04:05+02:00")).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
    }

    @Test
    void absentIsNull() {
        assertThat(DockerTime.parse(null)).isNull();
        assertThat(DockerTime.parse("")).isNull();
    }

    @Test
    void invalidValuesAreBadRequests() {
        for (String bad : new String[] {"yesterday", "-5", "1.2.3", "99999999999999999999", "2024-13-01T00:00:00Z", "10m"}) {
            assertThatThrownBy(() -> DockerTime.parse(bad)).as(bad).isInstanceOf(InvalidArgumentException.class)
                    .hasMessage("invalid time value: " + bad);
        }
    }

    @Test
    void secondsBeyondTheInstantRangeAreBadRequests() {
        assertThatThrownBy(() -> DockerTime.parse("9223372036854775807")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void formatUsesGoZeroTimeForNever() {
        assertThat(DockerTime.format(null)).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(DockerTime.format(Instant.parse("2024-01-02T03:04:05.5Z"))).isEqualTo("2024-01-02T03:04:05.500Z");
    }
}
