package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.berth.oci.errors.InvalidArgumentException;

class ContainerNamesTest {
    @Test
    void validNamesLoseTheirLeadingSlash() {
        assertThat(ContainerNames.validate("web")).isEqualTo("web");
        assertThat(ContainerNames.validate("/web")).isEqualTo("web");
        assertThat(ContainerNames.validate("My_app.v2-1")).isEqualTo("My_app.v2-1");
        assertThat(ContainerNames.validate("0x")).isEqualTo("0x");
    }

    @Test
    void absentNameMeansGenerateOne() {
        assertThat(ContainerNames.validate(null)).isNull();
        assertThat(ContainerNames.validate("")).isNull();
    }

    @Test
    void invalidNamesAreRejectedWithDockersMessage() {
        for (String bad : new String[] {"a", "-web", "_web", ".web", "web server", "web/db", "//web", "wéb", "/"}) {
            assertThatThrownBy(() -> ContainerNames.validate(bad)).as(bad).isInstanceOf(InvalidArgumentException.class)
                    .hasMessage("Invalid container name (" + bad + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
    }

    @Test
    void randomNamesAreValidAndVaried() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String name = ContainerNames.random();
            assertThat(name).matches("[a-z]+_[a-z]+_[0-9a-z]+");
            assertThat(ContainerNames.validate(name)).isEqualTo(name);
            seen.add(name);
        }
        assertThat(seen.size()).isGreaterThan(40);
    }

    @Test
    void idsAre64LowercaseHex() {
        String id = ContainerNames.newId();
        assertThat(id).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(ContainerNames.newId()).isNotEqualTo(id);
    }
}
