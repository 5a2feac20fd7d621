package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * Nothing under berthd's data root or exec root is reachable by another local user (CVE-2021-41091 class):
 * the probe runs as {@code nobody} against a daemon whose data root sits in a world-walkable directory, so
 * only berthd's own modes stand between that user and a running container's secrets and layers.
 */
@Tag("privileged")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DataRootPrivacyTest {
    private static final String SECRET = "s3cret-" + System.nanoTime();
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("privacy");
        // The fixture's temp dir is 0700; open it up so that the data root's own mode is what is tested.
        Files.setPosixFilePermissions(daemon.root, PosixFilePermissions.fromString("rwxr-xr-x"));
        daemon.cli("run", "-d", "--name", "holder", "-e", "API_TOKEN=" + SECRET, "busybox", "sleep", "300").orFail();
        daemon.cli("create", "--name", "stopped", "-e", "API_TOKEN=" + SECRET, "busybox", "true").orFail();
        // a volume's _data is 0755 (a container's non-root user must reach it): only the 0700 volumes/ guards it
        daemon.cli("volume", "create", "private").orFail();
        Path secretFile = daemon.dataRoot.resolve("volumes/private/_data/token");
        Files.writeString(secretFile, SECRET);
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-r--r--"));
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    @Test
    void anotherUserCanNeitherListNorReadNorRunAnythingUnderTheRoots() throws Exception {
        assertNothingReachableByNobody();
    }

    @Test
    void stateFilesAreOwnerOnlyEvenBelowThePrivateRoot() throws Exception {
        assertThat(mode(daemon.dataRoot)).isEqualTo("rwx--x---");
        try (Stream<Path> states = Files.list(daemon.dataRoot.resolve("containers"))) {
            for (Path dir : states.toList()) {
                assertThat(mode(dir)).isEqualTo("rwx------");
                assertThat(mode(dir.resolve("container.json"))).isEqualTo("rw-------");
                Path config = dir.resolve("bundle/config.json"); // written at the first start
                if (Files.exists(config)) assertThat(mode(config)).isEqualTo("rw-------");
            }
        }
    }

    @Test
    @Order(3) // restarts the daemon: the checks of a root berthd made itself come first
    void aRootLeftOpenByAnOlderBerthdIsRepairedAtStart() throws Exception {
        daemon.close();
        Path state = Files.list(daemon.dataRoot.resolve("containers")).findFirst().orElseThrow().resolve("container.json");
        Files.setPosixFilePermissions(daemon.dataRoot, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(daemon.dataRoot.resolve("store"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(daemon.dataRoot.resolve("volumes"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rw-r--r--"));
        daemon.start();
        assertThat(mode(daemon.dataRoot)).isEqualTo("rwx--x---");
        assertThat(mode(daemon.dataRoot.resolve("store"))).isEqualTo("rwx------");
        assertThat(mode(daemon.dataRoot.resolve("volumes"))).isEqualTo("rwx------");
        assertThat(mode(state)).isEqualTo("rw-------");
        assertNothingReachableByNobody();
    }

    /**
     * Lists every path under both roots as root, then has {@code nobody} try each: a path it can even stat is a
     * leak (reading, listing and executing all start with reaching it); the roots themselves must not list.
     */
    private static void assertNothingReachableByNobody() throws Exception {
        Path execRoot = daemon.execRoot;
        List<Path> roots = List.of(daemon.dataRoot, execRoot);
        List<String> paths;
        try (Stream<Path> walk = Stream.concat(Files.walk(daemon.dataRoot), Files.walk(execRoot))) {
            paths = walk.filter(p -> !roots.contains(p)).map(Path::toString).collect(Collectors.toList());
        }
        assertThat(paths).as("the walk sees layers, container state and volumes").anyMatch(p -> p.endsWith("container.json"))
                .anyMatch(p -> p.endsWith("/bin/busybox")).anyMatch(p -> p.endsWith("/volumes/private/_data/token"));
        Path list = daemon.root.resolve("paths.txt");
        Files.write(list, paths);
        Files.setPosixFilePermissions(list, PosixFilePermissions.fromString("rw-r--r--"));
        String probe = """
                for r in "$1" "$2"; do ls "$r" >/dev/null 2>&1 && echo "LISTED $r"; done
                while IFS= read -r p; do stat "$p" >/dev/null 2>&1 && echo "REACHED $p"; done < "$3"
                grep -rl "$4" "$1" 2>/dev/null | sed 's/^/READ /'
                true
                """;
        Cmd.Result r = Cmd.run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-c", probe,
                "probe", daemon.dataRoot.toString(), execRoot.toString(), list.toString(), SECRET), Map.of(), null,
                Duration.ofSeconds(120)).orFail();
        assertThat(r.out()).as("paths another user reached").isEmpty();
        assertThat(Files.isDirectory(daemon.dataRoot, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
