package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.berth.daemon.api.SystemRoutes.DiskUsageType;
import io.berth.oci.errors.InvalidArgumentException;

/** GET /system/df?type= (API 1.42+). Before: the query was not read, and every type was computed and sent. */
class DiskUsageTypeTest {
    @Test
    void theAskedTypesOnlyFromApi142() {
        assertThat(DiskUsageType.asked(List.of("volume", "build-cache"), "1.43"))
                .isEqualTo(EnumSet.of(DiskUsageType.VOLUME, DiskUsageType.BUILD_CACHE));
        assertThat(DiskUsageType.asked(List.of("container", "image"), "1.42"))
                .isEqualTo(EnumSet.of(DiskUsageType.CONTAINER, DiskUsageType.IMAGE));
        assertThat(DiskUsageType.asked(null, "1.43")).isEqualTo(EnumSet.allOf(DiskUsageType.class));
        assertThat(DiskUsageType.asked(List.of("volume"), "1.41")).isEqualTo(EnumSet.allOf(DiskUsageType.class));
    }

    @Test
    void anUnknownTypeIsDockersError() {
        assertThatThrownBy(() -> DiskUsageType.asked(List.of("volume", "disks"), "1.43"))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("unknown object type: disks");
    }
}
