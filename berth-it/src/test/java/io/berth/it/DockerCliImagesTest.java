package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image commands through the docker CLI, and the same archive read back by berth. */
@Tag("privileged")
class DockerCliImagesTest {
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("docker-img");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    @Test
    void imagesTagInspectHistory() throws Exception {
        assertThat(daemon.docker("images", "--format", "{{.Repository}}:{{.Tag}}").orFail().out()).contains("busybox:latest");
        daemon.docker("tag", "busybox", "mybox:v1").orFail();
        String a = daemon.docker("image", "inspect", "-f", "{{.Id}}", "busybox").orFail().out();
        String b = daemon.docker("image", "inspect", "-f", "{{.Id}}", "mybox:v1").orFail().out();
        assertThat(a).startsWith("sha256:").isEqualTo(b);
        assertThat(daemon.docker("image", "inspect", "-f", "{{json .Config.Cmd}}", "busybox").orFail().out()).isEqualTo("[\"sh\"]");
        assertThat(daemon.docker("history", "mybox:v1").orFail().out()).contains("IMAGE").contains("CREATED BY");
        daemon.docker("rmi", "mybox:v1").orFail();
        assertThat(daemon.docker("images", "--format", "{{.Repository}}").orFail().out()).doesNotContain("mybox");
    }

    @Test
    void rmiRefusesImageInUseUnlessForced() throws Exception {
        daemon.docker("tag", "busybox", "inuse:1").orFail();
        daemon.docker("create", "--name", "user-of-inuse", "inuse:1", "true").orFail();
        String id = daemon.docker("image", "inspect", "-f", "{{.Id}}", "inuse:1").orFail().out();
        daemon.docker("rmi", "busybox:latest"); // other tags keep the image
        Cmd.Result refused = daemon.docker("rmi", id);
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("conflict");
        daemon.docker("rm", "user-of-inuse").orFail();
        daemon.docker("tag", "inuse:1", "busybox:latest").orFail();
        daemon.docker("rmi", "inuse:1").orFail();
    }

    @Test
    void saveLoadRoundTripAndImport(@TempDir Path tmp) throws Exception {
        Path archive = tmp.resolve("busybox.tar");
        daemon.docker("save", "-o", archive.toString(), "busybox").orFail();
        String id = daemon.docker("image", "inspect", "-f", "{{.Id}}", "busybox").orFail().out();
        daemon.docker("tag", "busybox", "keep:me").orFail();
        daemon.docker("rmi", "busybox").orFail();
        assertThat(daemon.docker("load", "-i", archive.toString()).orFail().out()).contains("Loaded image: busybox:latest");
        assertThat(daemon.docker("image", "inspect", "-f", "{{.Id}}", "busybox").orFail().out()).isEqualTo(id);
        daemon.docker("rmi", "keep:me").orFail();

        // export a container's filesystem with the berth CLI, import it back with docker
        Path rootfs = tmp.resolve("rootfs.tar");
        Cmd.run(List.of("tar", "-cf", rootfs.toString(), "-C", "/", "bin/busybox"), Map.of(), null, java.time.Duration.ofSeconds(30)).orFail();
        String imported = daemon.docker("import", "-c", "CMD [\"/bin/busybox\", \"echo\", \"imported\"]", rootfs.toString(), "imp:1").orFail().out();
        assertThat(imported).startsWith("sha256:");
        assertThat(daemon.docker("run", "--rm", "imp:1").orFail().out()).isEqualTo("imported");
        assertThat(Files.size(archive)).isPositive();
    }
}
