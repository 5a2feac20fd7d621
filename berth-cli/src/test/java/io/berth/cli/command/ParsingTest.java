package io.berth.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParsingTest {

    @Test
    void memorySizesUseBinaryUnits() {
        assertThat(MemorySize.parse("1024")).isEqualTo(1024);
        assertThat(MemorySize.parse("10b")).isEqualTo(10);
        assertThat(MemorySize.parse("64k")).isEqualTo(64 * 1024);
        assertThat(MemorySize.parse("512m")).isEqualTo(512L << 20);
        assertThat(MemorySize.parse("512MB")).isEqualTo(512L << 20);
        assertThat(MemorySize.parse("1.5g")).isEqualTo(3L << 29);
        assertThat(MemorySize.parse("2GiB")).isEqualTo(2L << 30);
        assertThat(MemorySize.parse("1t")).isEqualTo(1L << 40);
        assertThatThrownBy(() -> MemorySize.parse("12x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemorySize.parse("-1m")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void memorySizesBeyondInt64AreRefusedNotWrapped() {
        assertThatThrownBy(() -> MemorySize.parse("99999999999999999999999"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large");
        assertThatThrownBy(() -> MemorySize.parse("9000000p")).isInstanceOf(IllegalArgumentException.class);
        assertThat(MemorySize.parse("8191p")).isEqualTo(8191L << 50);
    }

    @Test
    void envFileRules() {
        assertThat(EnvFile.parse("\uFEFFA=1\n#x=y\n   \nB= spaced \nC\nD\n", "f", Map.of("C", "from-env")))
                .containsExactly("A=1", "B= spaced ", "C=from-env");
        assertThatThrownBy(() -> EnvFile.parse("BAD KEY=1\n", "f", Map.of())).hasMessageContaining("contains whitespaces");
        assertThatThrownBy(() -> EnvFile.parse("=1\n", "f", Map.of())).hasMessageContaining("no variable name");
    }

    @Test
    void imageReferences() {
        assertThat(ImageRef.parse("busybox")).isEqualTo(new ImageRef("busybox", null, null));
        assertThat(ImageRef.parse("busybox").familiar()).isEqualTo("busybox:latest");
        assertThat(ImageRef.parse("localhost:5000/app:1.2")).isEqualTo(new ImageRef("localhost:5000/app", "1.2", null));
        assertThat(ImageRef.parse("localhost:5000/app")).isEqualTo(new ImageRef("localhost:5000/app", null, null));
        assertThat(ImageRef.parse("app@sha256:ab").digest()).isEqualTo("sha256:ab");
    }

    @Test
    void filtersGroupByKey() {
        assertThat(Filters.parse(List.of("status=exited", "label=a=b", "status=created")))
                .isEqualTo(Map.of("status", List.of("exited", "created"), "label", List.of("a=b")));
        assertThatThrownBy(() -> Filters.parse(List.of("novalue"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timestampsAcceptDurationsUnixAndDates() {
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        assertThat(Timestamps.toApi("10m", now)).isEqualTo("1699999400.000000000");
        assertThat(Timestamps.toApi("1h30m", now)).isEqualTo("1699994600.000000000");
        assertThat(Timestamps.toApi("1699999999", now)).isEqualTo("1699999999");
        assertThat(Timestamps.toApi("2023-11-14T22:13:20Z", now)).isEqualTo("1700000000");
        assertThat(Timestamps.toApi(null, now)).isNull();
        assertThatThrownBy(() -> Timestamps.toApi("yesterday", now)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void startFailuresMapToDockerStatuses() {
        assertThat(StartFailure.status("exec: \"nope\": executable file not found in $PATH")).isEqualTo(127);
        assertThat(StartFailure.status("open /x: no such file or directory")).isEqualTo(127);
        assertThat(StartFailure.status("exec /etc: permission denied")).isEqualTo(126);
        assertThat(StartFailure.status("cannot be invoked")).isEqualTo(126);
        assertThat(StartFailure.status("cgroup failure")).isEqualTo(125);
    }
}
