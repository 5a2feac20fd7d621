package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.berth.oci.ContainerConfig;
import io.berth.oci.errors.InvalidArgumentException;

class ImportChangesTest {
    @Test
    void noChangesLeaveEverythingUnset() {
        assertThat(ImportChanges.apply(List.of())).isEqualTo(ContainerConfig.empty());
        assertThat(ImportChanges.apply(List.of("", "   "))).isEqualTo(ContainerConfig.empty());
    }

    @Test
    void cmdJsonForm() {
        assertThat(ImportChanges.apply(List.of("CMD [\"/bin/echo\", \"hello world\"]")).cmd())
                .containsExactly("/bin/echo", "hello world");
    }

    @Test
    void cmdShellForm() {
        assertThat(ImportChanges.apply(List.of("CMD echo hello && sleep 1")).cmd())
                .containsExactly("/bin/sh", "-c", "echo hello && sleep 1");
    }

    @Test
    void malformedJsonIsTakenAsShellForm() {
        assertThat(ImportChanges.apply(List.of("CMD [\"unterminated")).cmd())
                .containsExactly("/bin/sh", "-c", "[\"unterminated");
    }

    @Test
    void entrypointBothForms() {
        assertThat(ImportChanges.apply(List.of("ENTRYPOINT [\"/entry\"]")).entrypoint()).containsExactly("/entry");
        assertThat(ImportChanges.apply(List.of("ENTRYPOINT exec /entry")).entrypoint()).containsExactly("/bin/sh", "-c", "exec /entry");
    }

    @Test
    void instructionsAreCaseInsensitive() {
        ContainerConfig c = ImportChanges.apply(List.of("cmd [\"a\"]", "Workdir /w"));
        assertThat(c.cmd()).containsExactly("a");
        assertThat(c.workingDir()).isEqualTo("/w");
    }

    @Test
    void envKeyValueForm() {
        assertThat(ImportChanges.apply(List.of("ENV A=1 B=\"two words\" C=x\\ y")).env())
                .containsExactly("A=1", "B=two words", "C=x y");
    }

    @Test
    void envLegacySpaceForm() {
        assertThat(ImportChanges.apply(List.of("ENV GREETING hello  world")).env()).containsExactly("GREETING=hello  world");
    }

    @Test
    void envAcrossSeveralInstructionsAccumulates() {
        assertThat(ImportChanges.apply(List.of("ENV A=1", "ENV B 2")).env()).containsExactly("A=1", "B=2");
    }

    @Test
    void envWithOnlyANameIsRejected() {
        assertThatThrownBy(() -> ImportChanges.apply(List.of("ENV ALONE"))).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void labelQuotedValues() {
        assertThat(ImportChanges.apply(List.of("LABEL version=\"1.0 beta\" \"com.example.vendor\"=\"ACME Inc\" empty=\"\"")).labels())
                .isEqualTo(Map.of("version", "1.0 beta", "com.example.vendor", "ACME Inc", "empty", ""));
    }

    @Test
    void labelValueMayContainEquals() {
        assertThat(ImportChanges.apply(List.of("LABEL expr=a=b")).labels()).isEqualTo(Map.of("expr", "a=b"));
    }

    @Test
    void labelWithoutValueIsRejected() {
        assertThatThrownBy(() -> ImportChanges.apply(List.of("LABEL justakey"))).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("key=value");
        assertThatThrownBy(() -> ImportChanges.apply(List.of("LABEL a=1 b"))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> ImportChanges.apply(List.of("LABEL =v"))).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void exposeDefaultsToTcp() {
        assertThat(ImportChanges.apply(List.of("EXPOSE 80 443/tcp 53/udp")).exposedPorts())
                .containsOnlyKeys("80/tcp", "443/tcp", "53/udp");
    }

    @Test
    void volumeJsonForm() {
        assertThat(ImportChanges.apply(List.of("VOLUME [\"/data\", \"/logs\"]")).volumes()).containsOnlyKeys("/data", "/logs");
    }

    @Test
    void volumePlainForm() {
        assertThat(ImportChanges.apply(List.of("VOLUME /data")).volumes()).containsOnlyKeys("/data");
        assertThat(ImportChanges.apply(List.of("VOLUME /data /logs")).volumes()).containsOnlyKeys("/data", "/logs");
    }

    @Test
    void scalarInstructions() {
        ContainerConfig c = ImportChanges.apply(List.of("USER 1000:1000", "WORKDIR /app", "STOPSIGNAL SIGINT",
                "ONBUILD RUN make", "ONBUILD COPY . /src"));
        assertThat(c.user()).isEqualTo("1000:1000");
        assertThat(c.workingDir()).isEqualTo("/app");
        assertThat(c.stopSignal()).isEqualTo("SIGINT");
        assertThat(c.onBuild()).containsExactly("RUN make", "COPY . /src");
    }

    @Test
    void laterInstructionWins() {
        assertThat(ImportChanges.apply(List.of("CMD [\"a\"]", "CMD [\"b\"]")).cmd()).containsExactly("b");
    }

    /** Before: HEALTHCHECK was "not a valid change command", where Docker takes it in commit and import changes. */
    @Test
    void healthcheckAsADockerfileTakesIt() {
        var h = ImportChanges.apply(List.of("HEALTHCHECK --interval=5s --retries=2 CMD wget -q -O- http://localhost || exit 1")).healthcheck();
        assertThat(h.path("Test").toString()).isEqualTo("[\"CMD-SHELL\",\"wget -q -O- http://localhost || exit 1\"]");
        assertThat(h.path("Interval").asLong()).isEqualTo(5_000_000_000L);
        assertThat(h.path("Retries").asInt()).isEqualTo(2);
        assertThat(ImportChanges.apply(List.of("healthcheck NONE")).healthcheck().path("Test").toString()).isEqualTo("[\"NONE\"]");
        assertThatThrownBy(() -> ImportChanges.apply(List.of("HEALTHCHECK --bogus=1 CMD true")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("bogus");
    }

    @Test
    void invalidInstructionIsRejected() {
        assertThatThrownBy(() -> ImportChanges.apply(List.of("RUN make"))).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("RUN is not a valid change command");
        assertThatThrownBy(() -> ImportChanges.apply(List.of("from busybox"))).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("FROM is not a valid change command");
    }
}
