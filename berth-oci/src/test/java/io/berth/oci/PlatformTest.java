package io.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Docker's --platform values and the match of an image's platform against one. */
class PlatformTest {
    @Test
    void parsesDockersSpellings() {
        assertThat(Platform.parse("linux/amd64").format()).isEqualTo("linux/amd64");
        assertThat(Platform.parse("linux/x86_64").format()).isEqualTo("linux/amd64");
        assertThat(Platform.parse("linux/arm64/v8").format()).isEqualTo("linux/arm64");
        assertThat(Platform.parse("linux/arm").format()).isEqualTo("linux/arm/v7");
        assertThat(Platform.parse("linux/arm/v6").format()).isEqualTo("linux/arm/v6");
        assertThat(Platform.parse("s390x").format()).isEqualTo("linux/s390x");
        assertThat(Platform.parse("linux").format()).isEqualTo("linux/" + Platform.host().architecture());
        for (String bad : new String[] {"", "linux/", "a/b/c/d", "linux/am d64"}) {
            assertThatThrownBy(() -> Platform.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid platform");
        }
    }

    @Test
    void anImageMatchesOnOsArchitectureAndAVariantBothName() {
        Platform amd64 = Platform.of("linux", "amd64");
        assertThat(Platform.parse("linux/amd64").accepts(amd64)).isTrue();
        assertThat(Platform.parse("linux/arm64").accepts(amd64)).isFalse();
        assertThat(Platform.parse("windows/amd64").accepts(amd64)).isFalse();
        Platform armV6 = new Platform("arm", "linux", null, null, "v6");
        assertThat(Platform.parse("linux/arm/v6").accepts(armV6)).isTrue();
        assertThat(Platform.parse("linux/arm/v7").accepts(armV6)).isFalse();
        assertThat(Platform.parse("linux/arm64/v8").accepts(new Platform("arm64", "linux", null, null, "v8"))).isTrue();
    }
}
