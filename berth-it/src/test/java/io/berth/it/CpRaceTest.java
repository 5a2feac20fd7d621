package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The symlink-exchange race of CVE-2018-15664: a process in the container swaps a directory and a symlink to
 * "/" as fast as it can while {@code docker cp} copies through that directory. Resolving the container path
 * once and then opening host paths lets the swap land between the two, so berthd reads, creates or replaces
 * host files. Every cp must resolve inside the container's root at every step: whichever way the race goes,
 * the copy reads and writes only container files.
 */
@Tag("privileged")
class CpRaceTest {
    private static final int ITERATIONS = 200;
    private static final String RACER_C = """
            #define _GNU_SOURCE
            #include <fcntl.h>
            #include <sys/syscall.h>
            #include <unistd.h>
            #define RENAME_EXCHANGE (1 << 1)
            int main(int argc, char **argv) {
                if (argc != 3) return 2;
                for (;;) syscall(SYS_renameat2, AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE);
            }
            """;

    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("cp-race");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    @Test
    void cpThroughASwappedDirectoryNeverTouchesTheHost(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc is needed to build the racing helper");
        Path source = tmp.resolve("racer.c");
        Files.writeString(source, RACER_C);
        Path racer = tmp.resolve("racer");
        Cmd.Result cc = Cmd.run(List.of("/usr/bin/gcc", "-static", "-O2", "-o", racer.toString(), source.toString()),
                Map.of(), null, Duration.ofSeconds(120));
        assumeTrue(cc.exitCode() == 0, "gcc -static could not build the racing helper (is libc.a installed?): " + cc.stderr());

        // The same path exists on the host (the secret, the victim) and in the container, both below the
        // swapped directory and below the container's own root.
        String dir = "/tmp/berth-race-" + UUID.randomUUID();
        Path host = Path.of(dir);
        Files.createDirectories(host);
        try {
            Files.writeString(host.resolve("secret"), "HOST-SECRET");
            Files.writeString(host.resolve("victim"), "HOST-VICTIM");
            Object victimKey = Files.readAttributes(host.resolve("victim"), java.nio.file.attribute.BasicFileAttributes.class).fileKey();

            String c = daemon.docker("run", "-d", "busybox", "sleep", "600").orFail().out();
            daemon.docker("exec", c, "sh", "-c", "mkdir -p /w/d" + dir + " " + dir
                    + " && echo in-dir > /w/d" + dir + "/secret && echo in-root > " + dir + "/secret"
                    + " && ln -s / /w/l").orFail();
            daemon.docker("cp", racer.toString(), c + ":/racer").orFail();
            daemon.docker("exec", "-d", c, "/racer", "/w/d", "/w/l").orFail();

            Path payload = tmp.resolve("payload");
            Files.createDirectories(payload);
            Files.writeString(payload.resolve("victim"), "FROM-CP");
            Files.writeString(payload.resolve("planted"), "FROM-CP");
            int reads = 0;
            int writes = 0;
            List<String> escapes = new ArrayList<>();
            for (int i = 0; i < ITERATIONS; i++) {
                Path out = tmp.resolve("out-" + i);
                if (daemon.docker("cp", c + ":/w/d" + dir + "/secret", out.toString()).exitCode() == 0) {
                    reads++;
                    String got = Files.readString(out, StandardCharsets.UTF_8);
                    if (got.contains("HOST")) escapes.add("iteration " + i + ": cp out read the host's " + dir + "/secret");
                }
                if (daemon.docker("cp", payload + "/.", c + ":/w/d" + dir + "/").exitCode() == 0) {
                    writes++;
                }
                if (Files.exists(host.resolve("planted"))) {
                    escapes.add("iteration " + i + ": cp in created " + dir + "/planted on the host");
                    Files.delete(host.resolve("planted"));
                }
                if (!Files.exists(host.resolve("victim"))) {
                    escapes.add("iteration " + i + ": cp in deleted " + dir + "/victim on the host");
                    Files.writeString(host.resolve("victim"), "HOST-VICTIM");
                } else if (!Files.readString(host.resolve("victim")).equals("HOST-VICTIM")
                        || !Files.readAttributes(host.resolve("victim"), java.nio.file.attribute.BasicFileAttributes.class)
                                .fileKey().equals(victimKey)) {
                    escapes.add("iteration " + i + ": cp in replaced " + dir + "/victim on the host");
                    Files.delete(host.resolve("victim"));
                    Files.writeString(host.resolve("victim"), "HOST-VICTIM");
                }
                victimKey = Files.readAttributes(host.resolve("victim"), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            }
            daemon.docker("rm", "-f", c).orFail();
            assertThat(escapes).as("host effects of %d cp out (%d succeeded) and %d cp in (%d succeeded)",
                    ITERATIONS, reads, ITERATIONS, writes).isEmpty();
            assertThat(Files.readString(host.resolve("secret"))).isEqualTo("HOST-SECRET");
            // The race must really have been run: most copies succeed whichever way the swap stood.
            assertThat(reads).isGreaterThan(ITERATIONS / 4);
            assertThat(writes).isGreaterThan(ITERATIONS / 4);
        } finally {
            Cmd.run(List.of("rm", "-rf", dir), Map.of(), null, Duration.ofSeconds(30));
        }
    }
}
