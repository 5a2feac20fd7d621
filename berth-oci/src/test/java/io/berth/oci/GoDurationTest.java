package io.berth.oci;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoDurationTest {
    @Test
    void parsesGoSyntax() {
        assertThat(GoDuration.nanos("30s")).isEqualTo(30_000_000_000L);
        assertThat(GoDuration.nanos("1m30s")).isEqualTo(90_000_000_000L);
        assertThat(GoDuration.nanos("500ms")).isEqualTo(500_000_000L);
        assertThat(GoDuration.nanos("1.5h")).isEqualTo(5_400_000_000_000L);
        assertThat(GoDuration.nanos("0")).isZero();
        assertThat(GoDuration.nanos("-2s")).isEqualTo(-2_000_000_000L);
        assertThat(GoDuration.nanos("10us")).isEqualTo(10_000L);
        assertThatThrownBy(() -> GoDuration.nanos("5 minutes")).hasMessageContaining("invalid duration");
        assertThatThrownBy(() -> GoDuration.nanos("5")).hasMessageContaining("invalid duration");
        assertThatThrownBy(() -> GoDuration.nanos("")).hasMessageContaining("invalid duration");
    }

    @Test
    void formatsAsGoDoes() {
        assertThat(GoDuration.format(0)).isEqualTo("0s");
        assertThat(GoDuration.format(1_000_000)).isEqualTo("1ms");
        assertThat(GoDuration.format(1_500_000_000L)).isEqualTo("1.5s");
        assertThat(GoDuration.format(30_000_000_000L)).isEqualTo("30s");
        assertThat(GoDuration.format(90_000_000_000L)).isEqualTo("1m30s");
        assertThat(GoDuration.format(3_600_000_000_000L)).isEqualTo("1h0m0s");
        assertThat(GoDuration.format(1_500)).isEqualTo("1.5µs");
    }
}
