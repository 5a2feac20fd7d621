package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** debian:bookworm made by scripts/debian-base.sh, run through a real berthd: no network is needed. */
@Tag("privileged")
class DebianBaseImageTest {
    static BerthdProcess daemon;

    @TempDir
    Path tmp;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("debian-base");
        DebianBaseImage.ensure(daemon);
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    @Test
    void isDebianBookwormWithDockersDefaults() throws Exception {
        assertThat(daemon.cli("run", "--rm", DebianBaseImage.REF, "cat", "/etc/debian_version").orFail().out()).matches("12\\.\\d+");
        assertThat(daemon.cli("run", "--rm", DebianBaseImage.REF, "apt-get", "--version").orFail().out()).startsWith("apt 2.6");
        assertThat(daemon.docker("image", "inspect", "-f", "{{json .Config.Cmd}} {{json .Config.Env}}", DebianBaseImage.REF).orFail().out())
                .isEqualTo("[\"bash\"] [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"]");
        // The default command is bash, fed on stdin as `docker run -i debian` would be.
        Cmd.Result bash = Cmd.run(List.of("/usr/local/bin/docker", "run", "--rm", "-i", DebianBaseImage.REF),
                Map.of("DOCKER_HOST", daemon.host()), "echo bash $BASH_VERSION\n".getBytes(), Duration.ofSeconds(60)).orFail();
        assertThat(bash.out()).startsWith("bash 5.2");
    }

    /** Checked in the cached tar itself: in a container, berth's own /dev and /etc files are mounted over them. */
    @Test
    void carriesNoPackageListsArchivesDeviceNodesOrHostNamesAndPointsAptAtAMirror() throws Exception {
        String tar = Cmd.run(List.of(script(), "--tar-only"), Map.of(), null, Duration.ofMinutes(15)).orFail().out();
        List<String> entries = Cmd.run(List.of("tar", "-tvf", tar), Map.of(), null, Duration.ofMinutes(1)).orFail().out().lines().toList();
        assertThat(entries).noneMatch(e -> e.matches(".* \\./(dev/.+|var/lib/apt/lists/[^/]+[^/k]|var/cache/apt/.*\\.(deb|bin))$"));
        assertThat(entries).anyMatch(e -> e.matches("-rw-r--r-- 0/0 +0 .* \\./etc/resolv\\.conf"))
                .anyMatch(e -> e.matches("-rw-r--r-- 0/0 +0 .* \\./etc/hostname"))
                .anyMatch(e -> e.matches("-rw-r--r-- 0/0 +0 .* \\./etc/hosts"));
        String sources = Cmd.run(List.of("tar", "-xOf", tar, "./etc/apt/sources.list"), Map.of(), null, Duration.ofMinutes(1)).orFail().out();
        assertThat(sources).containsPattern("(?m)^deb https?://\\S+ bookworm main$");
    }

    /**
     * apt downloads as its sandbox user _apt, which means setresuid and a chown of its partial directories: under
     * berth's default capabilities (no user namespace) that must work without APT::Sandbox::User "root". The copy
     * method fetches like http does, from a one-package repository made in the container.
     */
    @Test
    void aptFetchesAsItsSandboxUserAndInstallsWithoutLeavingArchives() throws Exception {
        String script = """
                set -e
                mkdir -p /tmp/pkg/DEBIAN /tmp/pkg/usr/share/berth-probe /srv/repo
                printf 'Package: berth-probe\\nVersion: 1.0\\nArchitecture: all\\nMaintainer: berth <root@localhost>\\nDescription: probe\\n' \\
                  > /tmp/pkg/DEBIAN/control
                echo installed > /tmp/pkg/usr/share/berth-probe/marker
                dpkg-deb --build /tmp/pkg /srv/repo/berth-probe_1.0_all.deb >/dev/null
                cd /srv/repo
                { cat /tmp/pkg/DEBIAN/control; echo "Filename: ./berth-probe_1.0_all.deb"
                  echo "Size: $(stat -c %s berth-probe_1.0_all.deb)"; echo "SHA256: $(sha256sum berth-probe_1.0_all.deb | cut -d' ' -f1)"; } > Packages
                echo 'deb [trusted=yes] copy:/srv/repo ./' > /etc/apt/sources.list
                apt-get update -q 2>&1
                DEBIAN_FRONTEND=noninteractive apt-get install -y -q berth-probe 2>&1
                echo "marker: $(cat /usr/share/berth-probe/marker)"
                echo "partial owner: $(stat -c %U /var/cache/apt/archives/partial)"
                echo "debs left: $(find /var/cache/apt -name '*.deb' | wc -l)"
                """;
        Files.writeString(tmp.resolve("apt-probe.sh"), script);
        String out = daemon.cli("run", "--rm", "-v", tmp + ":/probe:ro", DebianBaseImage.REF, "bash", "/probe/apt-probe.sh").orFail().out();
        assertThat(out).doesNotContain("unsandboxed").doesNotContainPattern("(?m)^(E|W):");
        assertThat(out).contains("marker: installed", "partial owner: _apt", "debs left: 0");
    }

    /** A cached tar is reused as is. */
    @Test
    void reusesItsCachedTar() throws Exception {
        Cmd.Result first = Cmd.run(List.of(script(), "--tar-only"), Map.of(), null, Duration.ofMinutes(15)).orFail();
        Cmd.Result again = Cmd.run(List.of(script(), "--tar-only"), Map.of(), null, Duration.ofMinutes(1)).orFail();
        assertThat(again.out()).isEqualTo(first.out()).matches("/var/cache/berth/debian-bookworm-[0-9a-f]{12}\\.tar");
        assertThat(again.stderr()).doesNotContain("building");
    }

    /**
     * A build stopped by a signal (Ctrl-C reaches the whole process group) or killed outright never leaves a tar
     * that looks complete, nor a mount: the first cleans up after itself, the next run cleans up after the second.
     * The kill comes while debootstrap has proc and sys mounted in its target, the moment that matters most.
     */
    @Test
    void anInterruptedBuildLeavesNoCacheAndNoMounts() throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Map<String, String> env = Map.of("BERTH_CACHE_DIR", cache.toString());

        stopBuild(cache, env, "TERM", () -> !buildDirs(cache).isEmpty());
        assertThat(tarsAndBuildDirs(cache)).isEmpty();
        assertThat(mountsUnder(cache)).isEmpty();

        stopBuild(cache, env, "KILL", () -> !mountsUnder(cache).isEmpty());
        assertThat(tarsAndBuildDirs(cache)).allMatch(name -> name.startsWith(".debian-bookworm-build."));

        // The next run clears what the killed one left before it builds; one without debootstrap on its PATH stops
        // right after that, which spares this test a whole build.
        Cmd.Result next = Cmd.run(List.of(script(), "--tar-only"), Map.of("BERTH_CACHE_DIR", cache.toString(), "PATH", "/usr/bin:/bin"),
                null, Duration.ofMinutes(1));
        assertThat(next.stderr()).contains("debootstrap is missing");
        assertThat(tarsAndBuildDirs(cache)).isEmpty();
        assertThat(mountsUnder(cache)).isEmpty();
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    private static void stopBuild(Path cache, Map<String, String> env, String signal, Condition when) throws Exception {
        // setsid: the script leads its own process group, which the signal is sent to, as a terminal would.
        ProcessBuilder pb = new ProcessBuilder("setsid", script(), "--tar-only").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process build = pb.start();
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (!when.holds()) {
                assertThat(build.isAlive()).as("the build is still running").isTrue();
                assertThat(System.nanoTime()).as("the build reached the point to stop it at").isLessThan(deadline);
                Thread.sleep(100);
            }
            Cmd.run(List.of("kill", "-" + signal, "--", "-" + build.pid()), Map.of(), null, Duration.ofSeconds(10)).orFail();
            assertThat(build.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            build.destroyForcibly();
        }
    }

    private static List<String> tarsAndBuildDirs(Path cache) throws Exception {
        try (Stream<Path> files = Files.list(cache)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> !n.endsWith(".lock")).sorted().toList();
        }
    }

    private static List<Path> buildDirs(Path cache) throws Exception {
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(f -> f.getFileName().toString().startsWith(".debian-bookworm-build.") && Files.isDirectory(f.resolve("rootfs/debootstrap")))
                    .toList();
        }
    }

    private static List<String> mountsUnder(Path dir) throws Exception {
        return Files.readAllLines(Path.of("/proc/mounts")).stream().map(l -> l.split(" ")[1])
                .filter(m -> m.startsWith(dir + "/")).toList();
    }

    private static String script() {
        return DebianBaseImage.script().toString();
    }
}
