package io.berth.runtime.health;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HealthConfigTest {
    private static final long S = 1_000_000_000L;

    @Test
    void theRequestWinsFieldByFieldOverTheImage() {
        HealthConfig image = new HealthConfig(List.of("CMD-SHELL", "curl -f localhost"), 10 * S, 2 * S, 5 * S, S, 4);
        HealthConfig request = new HealthConfig(List.of(), 3 * S, 0, 0, 0, 7);
        assertThat(HealthConfig.merge(request, image))
                .isEqualTo(new HealthConfig(List.of("CMD-SHELL", "curl -f localhost"), 3 * S, 2 * S, 5 * S, S, 7));
        assertThat(HealthConfig.merge(null, image)).isEqualTo(image);
        assertThat(HealthConfig.merge(request, null)).isEqualTo(request);
        assertThat(HealthConfig.merge(HealthConfig.none(), image).test()).containsExactly("NONE");
        assertThat(HealthConfig.merge(HealthConfig.none(), image).probes()).isFalse();
    }

    @Test
    void dockersDefaultsApplyToZeroes() {
        HealthConfig c = new HealthConfig(List.of("CMD", "true"), 0, 0, 0, 0, 0);
        assertThat(c.effectiveInterval()).isEqualTo(30 * S);
        assertThat(c.effectiveTimeout()).isEqualTo(30 * S);
        assertThat(c.effectiveStartPeriod()).isZero();
        assertThat(c.effectiveStartInterval()).isEqualTo(5 * S);
        assertThat(c.effectiveRetries()).isEqualTo(3);
    }

    @Test
    void validationUsesDockersWords() {
        assertThatThrownBy(() -> new HealthConfig(List.of("CMD", "true"), 999_999, 0, 0, 0, 0).validate())
                .hasMessage("Interval in Healthcheck cannot be less than 1ms");
        assertThatThrownBy(() -> new HealthConfig(List.of("CMD", "true"), 0, 5, 0, 0, 0).validate())
                .hasMessage("Timeout in Healthcheck cannot be less than 1ms");
        assertThatThrownBy(() -> new HealthConfig(List.of("CMD", "true"), 0, 0, 0, 0, -1).validate())
                .hasMessage("Retries in Healthcheck cannot be negative");
        assertThatThrownBy(() -> new HealthConfig(List.of("CMD", "true"), 0, 0, 1, 0, 0).validate())
                .hasMessage("StartPeriod in Healthcheck cannot be less than 1ms");
        assertThatThrownBy(() -> new HealthConfig(List.of("CMD", "true"), 0, 0, 0, 1, 0).validate())
                .hasMessage("StartInterval in Healthcheck cannot be less than 1ms");
        assertThatThrownBy(() -> new HealthConfig(List.of("SHELL", "true"), 0, 0, 0, 0, 0).validate())
                .hasMessageContaining("Unknown healthcheck type 'SHELL'");
        new HealthConfig(List.of("CMD", "true"), 1_000_000, 1_000_000, 1_000_000, 1_000_000, 0).validate();
        HealthConfig.none().validate();
    }

    @Test
    void cmdShellRunsThroughTheImagesShell() {
        HealthConfig shell = new HealthConfig(List.of("CMD-SHELL", "test -f /ok"), 0, 0, 0, 0, 0);
        assertThat(shell.command(List.of())).containsExactly("/bin/sh", "-c", "test -f /ok");
        assertThat(shell.command(List.of("/bin/bash", "-ec"))).containsExactly("/bin/bash", "-ec", "test -f /ok");
        assertThat(new HealthConfig(List.of("CMD", "cat", "/ok"), 0, 0, 0, 0, 0).command(List.of())).containsExactly("cat", "/ok");
    }
}
