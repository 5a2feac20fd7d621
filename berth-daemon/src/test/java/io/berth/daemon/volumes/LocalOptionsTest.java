package io.berth.daemon.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.berth.oci.errors.InvalidArgumentException;

class LocalOptionsTest {
    @Test
    void aTmpfsVolumeKeepsDockersKernelOptionsInOrder() {
        LocalOptions o = LocalOptions.parse(Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=64m,mode=1777,uid=1000,gid=100,nr_inodes=4k"));
        assertThat(o.isTmpfs()).isTrue();
        assertThat(o.tmpfs()).containsExactly("size=64m", "mode=1777", "uid=1000", "gid=100", "nr_inodes=4k");
        assertThat(o.device()).isNull();
        assertThat(LocalOptions.parse(Map.of("type", "tmpfs")).tmpfs()).isEqualTo(List.of());
        assertThat(LocalOptions.parse(Map.of("type", "tmpfs", "o", "size=50%")).tmpfs()).containsExactly("size=50%");
        assertThat(LocalOptions.PLAIN.isTmpfs()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "o|size=1m,noexec|berth does not support tmpfs volume option \"noexec\" (only size, mode, uid, gid, nr_inodes)",
            "o|size=1m,,mode=1777|berth does not support tmpfs volume option \"\" (only size, mode, uid, gid, nr_inodes)",
            "o|mode=999|berth does not support tmpfs volume option \"mode=999\" (only size, mode, uid, gid, nr_inodes)",
            "o|uid=root|berth does not support tmpfs volume option \"uid=root\" (only size, mode, uid, gid, nr_inodes)",
            "o|size=1x|berth does not support tmpfs volume option \"size=1x\" (only size, mode, uid, gid, nr_inodes)",
            "o|huge=always|berth does not support tmpfs volume option \"huge=always\" (only size, mode, uid, gid, nr_inodes)",
            "device|/dev/shm|berth does not support device \"/dev/shm\" on a tmpfs volume (only device=tmpfs)",
            "size|10G|berth does not support volume option \"size\" on a tmpfs volume (only type, device, o)",
    })
    void refusesEveryOtherTmpfsOptionByName(String key, String value, String message) {
        assertThatThrownBy(() -> LocalOptions.parse(Map.of("type", "tmpfs", key, value)))
                .isInstanceOf(InvalidArgumentException.class).hasMessage(message);
    }
}
