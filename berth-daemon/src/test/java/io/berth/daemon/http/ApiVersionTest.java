package io.berth.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiVersionTest {
    @Test
    void versionPrefixIsSplitOff() {
        assertThat(ApiVersion.split("/v1.43/containers/json")).containsExactly("1.43", "/containers/json");
    }

    @Test
    void olderVersionIsKept() {
        assertThat(ApiVersion.split("/v1.24/_ping")).containsExactly("1.24", "/_ping");
    }

    @Test
    void pathWithoutPrefixGetsTheCurrentVersion() {
        assertThat(ApiVersion.split("/containers/json")).containsExactly(ApiVersion.CURRENT, "/containers/json");
        assertThat(ApiVersion.split("/x")).containsExactly("1.43", "/x");
    }

    @Test
    void prefixMustBeMajorDotMinor() {
        assertThat(ApiVersion.split("/v1/x")).containsExactly(ApiVersion.CURRENT, "/v1/x");
        assertThat(ApiVersion.split("/vx.y/x")).containsExactly(ApiVersion.CURRENT, "/vx.y/x");
    }

    @Test
    void bareVersionWithoutPathIsNotSplit() {
        assertThat(ApiVersion.split("/v1.43")).containsExactly(ApiVersion.CURRENT, "/v1.43");
    }

    @Test
    void imageNamesContainingVersionLikeTextAreUntouched() {
        assertThat(ApiVersion.split("/v1.41/images/v1.2/json")).containsExactly("1.41", "/images/v1.2/json");
    }

    @Test
    void beforeComparesTheMinorVersionAsANumber() {
        assertThat(ApiVersion.before("1.27", 28)).isTrue();
        assertThat(ApiVersion.before("1.28", 28)).isFalse();
        assertThat(ApiVersion.before("1.9", 28)).isTrue();
        assertThat(ApiVersion.before("1.100", 28)).isFalse();
        assertThat(ApiVersion.before("2.0", 42)).isFalse();
        assertThat(ApiVersion.before("1.99999999999", 42)).isFalse();
        assertThat(ApiVersion.before(null, 42)).isFalse();
    }
}
