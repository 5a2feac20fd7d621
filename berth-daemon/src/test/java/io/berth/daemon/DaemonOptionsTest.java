package io.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.berth.oci.errors.InvalidArgumentException;

class DaemonOptionsTest {
    private static DaemonOptions parse(String... args) {
        return DaemonOptions.parse(args);
    }

    @Test
    void defaults() {
        DaemonOptions o = parse();
        assertThat(o.dataRoot()).isEqualTo(Path.of("/var/lib/berth"));
        assertThat(o.execRoot()).isEqualTo(Path.of("/run/berth/exec"));
        assertThat(o.socket()).isEqualTo(Path.of("/run/berth/berth.sock"));
        assertThat(o.defaultRuntime()).isEqualTo("crun");
    }

    @Test
    void flagEqualsValueForm() {
        DaemonOptions o = parse("--data-root=/srv/berth", "--exec-root=/run/b", "--host=unix:///tmp/b.sock", "--runtime=runc");
        assertThat(o.dataRoot()).isEqualTo(Path.of("/srv/berth"));
        assertThat(o.execRoot()).isEqualTo(Path.of("/run/b"));
        assertThat(o.socket()).isEqualTo(Path.of("/tmp/b.sock"));
        assertThat(o.defaultRuntime()).isEqualTo("runc");
    }

    @Test
    void flagSpaceValueFormAndAliases() {
        DaemonOptions o = parse("--data-root", "/srv/berth", "-H", "unix:///tmp/x.sock", "--default-runtime", "runc");
        assertThat(o.dataRoot()).isEqualTo(Path.of("/srv/berth"));
        assertThat(o.socket()).isEqualTo(Path.of("/tmp/x.sock"));
        assertThat(o.defaultRuntime()).isEqualTo("runc");
    }

    @Test
    void customDataRootMovesTheExecRootUnderIt() {
        assertThat(parse("--data-root=/srv/berth").execRoot()).isEqualTo(Path.of("/srv/berth/exec"));
        // The default data root keeps the tmpfs exec root even when named explicitly.
        assertThat(parse("--data-root=/var/lib/berth").execRoot()).isEqualTo(Path.of("/run/berth/exec"));
    }

    @Test
    void explicitExecRootWinsOverTheDataRootDefault() {
        assertThat(parse("--exec-root=/run/e", "--data-root=/srv/berth").execRoot()).isEqualTo(Path.of("/run/e"));
    }

    @Test
    void relativeRootsBecomeAbsolute() {
        DaemonOptions o = parse("--data-root=rel/data");
        assertThat(o.dataRoot()).isAbsolute().endsWithRaw(Path.of("rel/data"));
        assertThat(o.execRoot()).isEqualTo(o.dataRoot().resolve("exec"));
    }

    @Test
    void unknownFlagIsRejectedWithUsage() {
        assertThatThrownBy(() -> parse("--debug=true")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("unknown flag: --debug").hasMessageContaining("Usage: berthd");
    }

    @Test
    void missingValueIsRejected() {
        assertThatThrownBy(() -> parse("--data-root")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("flag needs a value: --data-root");
    }

    @Test
    void onlyUnixHostsAndKnownRuntimes() {
        assertThatThrownBy(() -> parse("--host=tcp://0.0.0.0:2375")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("only unix:// hosts are supported: tcp://0.0.0.0:2375");
        assertThatThrownBy(() -> parse("--runtime=kata")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("unknown runtime: kata");
    }

    @Test
    void helpShowsUsage() {
        assertThatThrownBy(() -> parse("--help")).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("Usage: berthd");
        assertThatThrownBy(() -> parse("-h")).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("--data-root");
    }
}
