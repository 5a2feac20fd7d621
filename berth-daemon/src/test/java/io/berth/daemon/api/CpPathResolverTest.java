package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.berth.oci.errors.InvalidArgumentException;

class CpPathResolverTest {
    private static CpPathResolver.Links links(Map<String, String> m) {
        return p -> Optional.ofNullable(m.get(p));
    }

    @Test
    void directoriesAreResolvedAndTheLastComponentIsKept() {
        var l = links(Map.of("/link", "/vol", "/etc/rel", "../vol", "/vol/last", "/elsewhere"));
        assertThat(CpPathResolver.resolve("/link/f", l, false)).isEqualTo("/vol/f");
        assertThat(CpPathResolver.resolve("etc/rel/sub/f", l, false)).isEqualTo("/vol/sub/f");
        assertThat(CpPathResolver.resolve("/link/last", l, false)).as("a link named last is copied itself").isEqualTo("/vol/last");
        assertThat(CpPathResolver.resolve("/", l, false)).isEqualTo("/");
        assertThat(CpPathResolver.resolve("/plain/dir/f", l, false)).isEqualTo("/plain/dir/f");
        assertThat(CpPathResolver.resolve("/link", l, true)).as("an extraction's directory is followed").isEqualTo("/vol");
        assertThat(CpPathResolver.resolve("/link", l, false)).isEqualTo("/link");
    }

    @Test
    void dotDotStopsAtTheRootAndChainsOfLinksAreFollowed() {
        var l = links(Map.of("/a", "b", "/b", "/c/../../../d"));
        assertThat(CpPathResolver.resolve("/a/f", l, false)).isEqualTo("/d/f");
        assertThat(CpPathResolver.resolve("/../../x/f", l, false)).isEqualTo("/x/f");
    }

    @Test
    void aLoopIsRefused() {
        var l = links(Map.of("/a", "/b", "/b", "/a"));
        assertThatThrownBy(() -> CpPathResolver.resolve("/a/f", l, false)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("too many levels of symbolic links");
    }
}
