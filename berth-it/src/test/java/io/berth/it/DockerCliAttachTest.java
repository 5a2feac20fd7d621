package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attach as Docker answers it, through the docker CLI, the berth CLI and the raw API: every byte of a large
 * stdin, attaches that ask for stdin only or for logs only, and detach keys.
 */
@Tag("privileged")
class DockerCliAttachTest {
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("attach");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    /** Before: 32,768 bytes arrived of anything larger (conmon cut one big message), and 1 MB hung. */
    @Test
    void runDashIDeliversEveryByteOfALargeStdin(@TempDir Path dir) throws Exception {
        for (int size : new int[] {1024 * 1024, 100 * 1024 * 1024}) {
            Path input = randomFile(dir.resolve("in-" + size), size);
            String expected = sha256(input) + "  -";
            Cmd.Result docker = daemon.dockerWithInput(input, "run", "-i", "--rm", "busybox", "sha256sum");
            assertThat(docker.orFail().out()).as("docker CLI, %d bytes", size).isEqualTo(expected);
            Cmd.Result berth = daemon.cliWithInput(input, "run", "-i", "--rm", "busybox", "sha256sum");
            assertThat(berth.orFail().out()).as("berth CLI, %d bytes", size).isEqualTo(expected);
        }
    }

    private static Path randomFile(Path path, int size) throws Exception {
        Random random = new Random(size);
        byte[] chunk = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(path)) {
            for (int left = size; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, Math.min(left, chunk.length));
            }
        }
        return path;
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1024 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
