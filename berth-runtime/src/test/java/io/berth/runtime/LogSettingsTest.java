package io.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.berth.oci.errors.InvalidArgumentException;

/** Drivers' defaults and Docker's human sizes. */
class LogSettingsTest {
    @Test
    void eachDriverHasDockersDefaults() {
        assertThat(LogSettings.JSON_FILE.maxSize()).isZero();
        assertThat(LogSettings.JSON_FILE.maxFile()).isEqualTo(1);
        assertThat(LogSettings.JSON_FILE.compress()).isFalse();
        LogSettings local = LogSettings.of("local", Map.of());
        assertThat(local.maxSize()).isEqualTo(20L * 1024 * 1024);
        assertThat(local.maxFile()).isEqualTo(5);
        assertThat(local.compress()).isTrue();
        assertThat(LogSettings.of("local", Map.of("max-file", "1")).compress()).isFalse();
        assertThat(LogSettings.of("none", Map.of()).readable()).isFalse();
        assertThat(LogSettings.K8S_FILE.readable()).isTrue();
        assertThat(LogSettings.of("json-file", Map.of("max-size", "-1")).maxSize()).isZero();
    }

    @Test
    void sizesAreDockersDecimalHumanSizes() {
        assertThat(LogSettings.humanSize("1.5k")).isEqualTo(1500);
        assertThat(LogSettings.humanSize("10MB")).isEqualTo(10_000_000);
        assertThat(LogSettings.humanSize("2 gib")).isEqualTo(2_000_000_000L);
        assertThat(LogSettings.humanSize("100")).isEqualTo(100);
        assertThatThrownBy(() -> LogSettings.humanSize("10x")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> LogSettings.humanSize("99999999999p")).isInstanceOf(InvalidArgumentException.class);
    }
}
