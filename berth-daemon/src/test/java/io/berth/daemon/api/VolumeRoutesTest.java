package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VolumeRoutesTest {
    @Test
    void apiVersionsBefore142PruneEveryUnusedVolume() {
        assertThat(VolumeRoutes.before142("1.41")).isTrue();
        assertThat(VolumeRoutes.before142("1.24")).isTrue();
        assertThat(VolumeRoutes.before142("1.42")).isFalse();
        assertThat(VolumeRoutes.before142("1.43")).isFalse();
        assertThat(VolumeRoutes.before142("2.0")).isFalse();
        assertThat(VolumeRoutes.before142("1.99999999999")).isFalse();
        assertThat(VolumeRoutes.before142(null)).isFalse();
    }
}
