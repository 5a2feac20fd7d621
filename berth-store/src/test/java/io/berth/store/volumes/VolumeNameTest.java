package io.berth.store.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.berth.oci.errors.InvalidArgumentException;

class VolumeNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"ab", "data", "my-vol_1.2", "0x", "A.B-C_D", "a..", "a" + "bcdefghij"})
    void acceptsDockersRule(String name) {
        VolumeName.check(name);
        assertThat(VolumeName.isValid(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", ".", "..", ".hidden", "_x", "-x", "a/b", "../etc", "/abs", "a b", "vol:ro",
            "caf\u00e9", "a\nb", "a\u0000b"})
    void refusesEverythingElseWithDockersMessage(String name) {
        assertThat(VolumeName.isValid(name)).isFalse();
        assertThatThrownBy(() -> VolumeName.check(name)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("create " + name + ": \"" + name + "\" includes invalid characters for a local volume name,"
                        + " only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory,"
                        + " use absolute path");
    }

    @Test
    void refusesANameTooLongForTheFilesystem() {
        String name = "a".repeat(VolumeName.MAX_LENGTH + 1);
        assertThat(VolumeName.isValid(name)).isFalse();
        assertThatThrownBy(() -> VolumeName.check(name)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("at most " + VolumeName.MAX_LENGTH);
        VolumeName.check("a".repeat(VolumeName.MAX_LENGTH));
    }

    @Test
    void anonymousNamesAre64RandomHexDigits() {
        String a = VolumeName.anonymous();
        assertThat(a).matches("[0-9a-f]{64}");
        assertThat(VolumeName.anonymous()).isNotEqualTo(a);
        VolumeName.check(a);
    }
}
