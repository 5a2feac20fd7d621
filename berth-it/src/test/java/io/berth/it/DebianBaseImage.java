package io.berth.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * debian:bookworm in a test daemon, made by scripts/debian-base.sh from Debian's packages (debootstrap from the
 * host's apt mirror), as a user makes it. The script caches the rootfs tar under /var/cache/berth: the first run
 * on a machine builds it (about half a minute), every later one, in this run or the next, only imports it.
 */
final class DebianBaseImage {
    static final String REF = "debian:bookworm";
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private DebianBaseImage() {}

    /** Makes debian:bookworm in {@code daemon} unless it has it already. */
    static synchronized void ensure(BerthdProcess daemon) throws IOException, InterruptedException {
        if (daemon.cli("image", "inspect", REF).exitCode() == 0) return;
        Cmd.Result made = Cmd.run(List.of(script().toString(), daemon.host()), Map.of("BERTH_CLI", cliLauncher(daemon).toString()),
                null, Duration.ofMinutes(15));
        if (made.exitCode() != 0) {
            throw new AssertionError("scripts/debian-base.sh failed (exit " + made.exitCode() + "):\n" + made.stdout() + made.stderr());
        }
    }

    /** The checkout's scripts/debian-base.sh, found upwards from the module directory surefire runs in. */
    static Path script() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("scripts/debian-base.sh");
            if (Files.isExecutable(candidate)) return candidate;
        }
        throw new IllegalStateException("scripts/debian-base.sh not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * The script imports with the berth CLI; this launcher runs the CLI of this test run's classpath, the one
     * the tests exercise (./berth would first rebuild the checkout's jars when they look stale).
     */
    private static Path cliLauncher(BerthdProcess daemon) throws IOException {
        Path launcher = daemon.root.resolve("berth-cli.sh");
        String classpath = System.getProperty("java.class.path").replace("'", "'\\''");
        Files.writeString(launcher, "#!/bin/sh\nexec '" + JAVA + "' --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 "
                + "-XX:+UseSerialGC -cp '" + classpath + "' io.berth.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        return launcher;
    }
}
