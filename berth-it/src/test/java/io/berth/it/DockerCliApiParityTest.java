package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.registry.server.RegistryConfig;
import io.berth.registry.server.RegistryServer;

/**
 * The docker CLI against berthd on the endpoints Docker clients use beyond the engine core: diff, export,
 * commit, update, builder prune, search, plugins, BuildKit sessions, terminal resize and save through the API.
 */
@Tag("privileged")
class DockerCliApiParityTest {
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("api-parity");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    @Test
    void diffListsAddedChangedAndDeletedPaths() throws Exception {
        daemon.docker("run", "--name", "diff", "busybox", "sh", "-c",
                "echo new > /tmp/new; rm /bin/vi; mkdir /root/dir; echo more >> /etc/passwd").orFail();
        assertThat(daemon.docker("diff", "diff").orFail().out().lines().toList())
                .containsExactly("C /bin", "D /bin/vi", "C /etc", "C /etc/passwd", "C /root", "A /root/dir", "C /tmp", "A /tmp/new");
        // a directory removed and made again is opaque in the upper dir: deleted, then its new contents
        daemon.docker("run", "--name", "diff-opaque", "busybox", "sh", "-c", "rm -rf /home; mkdir /home; touch /home/new").orFail();
        assertThat(daemon.docker("diff", "diff-opaque").orFail().out().lines().toList()).containsExactly("D /home", "A /home/new");
        daemon.docker("rm", "diff-opaque").orFail();
        daemon.docker("run", "--name", "nodiff", "busybox", "true").orFail();
        assertThat(daemon.docker("diff", "nodiff").orFail().out()).isEmpty();
        assertThat(daemon.docker("diff", "no-such-container").stderr()).contains("No such container");
        daemon.docker("rm", "diff", "nodiff").orFail();
    }

    @Test
    void exportTarsTheMergedRootOfARunningAndAStoppedContainer(@TempDir Path tmp) throws Exception {
        daemon.docker("run", "-d", "--name", "exp", "busybox", "sh", "-c", "echo exported > /marker; rm /bin/vi; sleep 60").orFail();
        awaitFile("exp", "/marker");
        Path running = tmp.resolve("running.tar");
        daemon.docker("export", "-o", running.toString(), "exp").orFail();
        List<String> names = tarList(running);
        assertThat(names).contains("bin/", "bin/sh", "etc/passwd", "marker").doesNotContain("bin/vi", "./", "/");
        assertThat(names.stream().filter(n -> n.startsWith(".wh.") || n.contains("/.wh.")).toList()).isEmpty();
        daemon.docker("rm", "-f", "exp").orFail();

        daemon.docker("create", "--name", "exp-stopped", "busybox", "true").orFail();
        Path stopped = tmp.resolve("stopped.tar");
        daemon.docker("export", "-o", stopped.toString(), "exp-stopped").orFail();
        assertThat(tarList(stopped)).contains("bin/busybox", "etc/passwd");
        daemon.docker("rm", "exp-stopped").orFail();
    }

    @Test
    void commitMakesAnImageOfTheContainersChangesAndConfig() throws Exception {
        daemon.docker("run", "-d", "--name", "cm", "-e", "FROM_RUN=1", "-w", "/tmp", "busybox", "sh", "-c",
                "rm -rf /home; mkdir /home; touch /home/new; echo committed > /data.txt; rm /bin/vi; sleep 60").orFail();
        awaitFile("cm", "/data.txt");
        String id = daemon.docker("commit", "-a", "Ann Author", "-m", "a message", "-c", "ENV ADDED=2",
                "-c", "CMD [\"cat\", \"/data.txt\"]", "-c", "EXPOSE 8080", "-c", "LABEL stage=committed", "cm", "committed:1")
                .orFail().out();
        assertThat(id).startsWith("sha256:");
        // the commit froze the container only while it read its files
        assertThat(daemon.docker("inspect", "-f", "{{.State.Status}}", "cm").orFail().out()).isEqualTo("running");
        assertThat(daemon.docker("run", "--rm", "committed:1").orFail().out()).isEqualTo("committed");
        assertThat(daemon.docker("run", "--rm", "committed:1", "sh", "-c", "test -e /bin/vi || echo gone; echo $FROM_RUN $ADDED; pwd")
                .orFail().out()).isEqualTo("gone\n1 2\n/tmp");
        // the opaque directory hides the image's /home/berth in the committed layer too
        assertThat(daemon.docker("run", "--rm", "committed:1", "ls", "-A", "/home").orFail().out()).isEqualTo("new");
        assertThat(daemon.docker("image", "inspect", "-f",
                "{{.Author}}|{{.Comment}}|{{json .Config.Cmd}}|{{json .Config.ExposedPorts}}|{{.Config.Labels.stage}}", "committed:1")
                .orFail().out()).isEqualTo("Ann Author|a message|[\"cat\",\"/data.txt\"]|{\"8080/tcp\":{}}|committed");
        String history = daemon.docker("history", "--no-trunc", "--format", "{{.CreatedBy}}|{{.Comment}}", "committed:1").orFail().out();
        assertThat(history.lines().findFirst().orElseThrow()).startsWith("sh -c rm -rf /home").endsWith("|a message");

        // --pause=false, no tag: an untagged image; an unchanged container adds no layer
        String untagged = daemon.docker("commit", "--pause=false", "cm").orFail().out();
        assertThat(daemon.docker("image", "inspect", "-f", "{{len .RootFS.Layers}}", untagged).orFail().out())
                .isEqualTo(daemon.docker("image", "inspect", "-f", "{{len .RootFS.Layers}}", "committed:1").orFail().out());
        daemon.docker("create", "--name", "cm-clean", "busybox", "true").orFail();
        String clean = daemon.docker("commit", "cm-clean").orFail().out();
        assertThat(daemon.docker("image", "inspect", "-f", "{{len .RootFS.Layers}}", clean).orFail().out())
                .isEqualTo(daemon.docker("image", "inspect", "-f", "{{len .RootFS.Layers}}", "busybox").orFail().out());

        Cmd.Result bad = daemon.docker("commit", "-c", "RUN echo no", "cm", "committed:bad");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("RUN is not a valid change command");
        daemon.docker("rm", "-f", "cm", "cm-clean").orFail();
    }

    /** Before: HEALTHCHECK was refused as a change, and a container's own --health-cmd was not committed. */
    @Test
    void commitKeepsTheContainersHealthcheckAndTakesAHealthcheckChange() throws Exception {
        daemon.docker("run", "--name", "hc-commit", "--health-cmd", "true", "--health-interval", "3s", "busybox", "true").orFail();
        daemon.docker("commit", "hc-commit", "hc-commit:own").orFail();
        assertThat(daemon.docker("image", "inspect", "-f", "{{json .Config.Healthcheck}}", "hc-commit:own").orFail().out())
                .isEqualTo("{\"Test\":[\"CMD-SHELL\",\"true\"],\"Interval\":3000000000}");
        daemon.docker("commit", "--change", "HEALTHCHECK --retries=2 CMD [\"false\"]", "hc-commit", "hc-commit:changed").orFail();
        assertThat(daemon.docker("image", "inspect", "-f", "{{json .Config.Healthcheck}}", "hc-commit:changed").orFail().out())
                .isEqualTo("{\"Test\":[\"CMD\",\"false\"],\"Retries\":2}");
        assertThat(daemon.docker("commit", "--change", "HEALTHCHECK --nope=1 CMD true", "hc-commit", "hc-commit:bad").stderr())
                .contains("nope");
        daemon.docker("rm", "hc-commit").orFail();
        daemon.docker("rmi", "hc-commit:own", "hc-commit:changed").orFail();
    }

    @Test
    void commitFreezesARunningContainerWhileItReadsTheFilesUnlessToldNotTo() throws Exception {
        String id = daemon.docker("run", "-d", "--name", "cm-freeze", "busybox", "sh", "-c",
                "head -c 150000000 /dev/zero > /big; touch /ready; sleep 600").orFail().out();
        awaitFile("cm-freeze", "/ready");
        Path freezer = Path.of("/sys/fs/cgroup/freezer/berth", id, "freezer.state");
        Path v2 = Path.of("/sys/fs/cgroup/berth", id, "cgroup.freeze");
        Path state = Files.exists(freezer) ? freezer : v2;
        assertThat(state).as("the container's freezer state").exists();
        assertThat(frozenDuring(state, "commit", "cm-freeze")).isTrue();
        assertThat(frozenDuring(state, "commit", "--pause=false", "cm-freeze")).isFalse();
        assertThat(daemon.docker("inspect", "-f", "{{.State.Status}}", "cm-freeze").orFail().out()).isEqualTo("running");
        daemon.docker("rm", "-f", "cm-freeze").orFail();
    }

    /** Runs the docker command while watching the freezer: whether the cgroup was ever frozen meanwhile. */
    private static boolean frozenDuring(Path state, String... args) throws Exception {
        var running = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return daemon.docker(args);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        boolean frozen = false;
        while (!running.isDone()) {
            String s = Files.readString(state).strip();
            frozen |= s.equals("FROZEN") || s.equals("FREEZING") || s.equals("1");
            Thread.sleep(2);
        }
        running.get().orFail();
        return frozen;
    }

    @Test
    void updateAppliesLimitsToTheRunningCgroupAndKeepsThemForTheNextStart() throws Exception {
        daemon.docker("run", "-d", "--name", "upd", "--memory", "64m", "busybox", "sleep", "600").orFail();
        daemon.docker("update", "--memory", "96m", "--memory-swap", "192m", "--cpus", "0.5", "--pids-limit", "40",
                "--restart", "on-failure:2", "upd").orFail();
        String inside = "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max;"
                + " cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cut -d' ' -f1 /sys/fs/cgroup/cpu.max;"
                + " cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max";
        assertThat(daemon.docker("exec", "upd", "sh", "-c", inside).orFail().out()).isEqualTo("100663296\n50000\n40");
        assertThat(daemon.docker("inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} "
                + "{{.HostConfig.PidsLimit}} {{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}", "upd")
                .orFail().out()).isEqualTo("100663296 201326592 500000000 40 on-failure:2");
        // -1 lifts the pids limit in the running cgroup too
        daemon.docker("update", "--pids-limit", "-1", "upd").orFail();
        assertThat(Long.parseLong(daemon.docker("exec", "upd", "sh", "-c",
                "cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max").orFail().out()
                .replace("max", String.valueOf(Long.MAX_VALUE)))).isGreaterThan(1_000_000);
        daemon.docker("restart", "-t", "0", "upd").orFail();
        assertThat(daemon.docker("exec", "upd", "sh", "-c", inside).orFail().out()).startsWith("100663296\n50000\n");

        // kernel memory limits are deprecated: refused by name (ContainerResourcesTest covers the other limits)
        Cmd.Result refused = daemon.docker("update", "--kernel-memory", "64m", "upd");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("berth does not support HostConfig.KernelMemory");
        Cmd.Result small = daemon.docker("update", "--memory", "1m", "upd");
        assertThat(small.stderr()).contains("Minimum memory limit allowed is 6MB");
        assertThat(daemon.docker("inspect", "-f", "{{.HostConfig.Memory}}", "upd").orFail().out()).isEqualTo("100663296");
        daemon.docker("rm", "-f", "upd").orFail();

        daemon.docker("create", "--name", "upd-rm", "--rm", "busybox", "true").orFail();
        assertThat(daemon.docker("update", "--restart", "always", "upd-rm").stderr())
                .contains("Restart policy cannot be updated because AutoRemove is enabled for the container");
        daemon.docker("rm", "upd-rm").orFail();
    }

    @Test
    void buildAddHostShmSizeAndUlimitReachTheRunContainers(@TempDir Path ctx) throws Exception {
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\n"
                + "RUN grep db.local /etc/hosts > /hosts && df -k /dev/shm | tail -n 1 > /shm && ulimit -n > /nofile && ulimit -Hn >> /nofile\n"
                + "RUN --network=none grep db.local /etc/hosts > /hosts-none\n");
        daemon.docker("build", "-q", "-t", "runopts:1", "--add-host", "db.local:10.1.2.3", "--shm-size", "96m",
                "--ulimit", "nofile=100:200", ctx.toString()).orFail();
        String out = daemon.docker("run", "--rm", "runopts:1", "sh", "-c", "cat /hosts /hosts-none /nofile; cat /shm").orFail().out();
        assertThat(out.lines().limit(4).toList()).containsExactly("10.1.2.3\tdb.local", "10.1.2.3\tdb.local", "100", "200");
        assertThat(out.lines().skip(4).findFirst().orElseThrow().split("\\s+")[1]).isEqualTo("98304");
        // the same checks and messages as container create
        assertThat(daemon.curl("-X", "POST", "-H", "Content-Type: application/x-tar", "--data-binary", "@/dev/null",
                "http://x/v1.43/build?shmsize=-1").stdout()).contains("SHM size can not be less than 0");
        assertThat(daemon.curl("-X", "POST", "-H", "Content-Type: application/x-tar", "--data-binary", "@/dev/null",
                "http://x/v1.43/build?ulimits=%5B%7B%22Name%22%3A%22bogus%22%2C%22Soft%22%3A1%2C%22Hard%22%3A1%7D%5D").stdout())
                .contains("invalid ulimit type: bogus");
        assertThat(daemon.curl("-X", "POST", "-H", "Content-Type: application/x-tar", "--data-binary", "@/dev/null",
                "http://x/v1.43/build?extrahosts=nocolon").stdout()).contains("nocolon");
        daemon.docker("rmi", "runopts:1").orFail();
    }

    @Test
    void builderPruneAppliesAllAndUntilAndRefusesWhatItCannotHonour(@TempDir Path ctx) throws Exception {
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\nRUN echo one > /one\nRUN echo two > /two\n");
        daemon.docker("build", "-q", "-t", "pruned:1", ctx.toString()).orFail();
        // the last step's state is the image: only the first RUN's record is dangling
        String dangling = daemon.docker("builder", "prune", "-f").orFail().out();
        assertThat(dangling).contains("Deleted build cache objects:").contains("Total reclaimed space");
        assertThat(daemon.docker("builder", "prune", "-a", "-f", "--filter", "until=1h").orFail().out())
                .doesNotContain("Deleted build cache objects:");
        assertThat(daemon.docker("builder", "prune", "-a", "-f").orFail().out()).contains("Deleted build cache objects:");
        assertThat(daemon.docker("builder", "prune", "-f", "--keep-storage", "1mb").stderr())
                .contains("berth does not support keep-storage for build cache prune");
        assertThat(daemon.docker("builder", "prune", "-f", "--filter", "label=a=b").stderr()).contains("invalid filter 'label'");
        // every prune endpoint answers Docker's JSON with the space it reclaimed
        for (String path : List.of("/containers/prune", "/images/prune", "/volumes/prune", "/build/prune")) {
            Cmd.Result r = daemon.curl("-X", "POST", "http://berthd" + path);
            assertThat(r.stdout()).as(path).contains("\"SpaceReclaimed\":").endsWith("\n200");
        }
    }

    @Test
    void searchWithoutAReachableIndexIsAServerErrorNamingTheRequest() throws Exception {
        Cmd.Result r = daemon.docker("search", "busybox");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("Error response from daemon: Get \"https://index.docker.io/v1/search?q=busybox&n=25\": ");
        assertThat(daemon.curl("http://berthd/images/search?term=busybox").stdout()).endsWith("\n500");
        assertThat(daemon.curl("http://berthd/images/search?term=x&filters=%7B%22bogus%22%3A%7B%22a%22%3Atrue%7D%7D").stdout())
                .contains("invalid filter 'bogus'").endsWith("\n400");
    }

    @Test
    void pluginsAreAnEmptyListAndInstallingOneIsRefused() throws Exception {
        assertThat(daemon.docker("plugin", "ls", "-q").orFail().out()).isEmpty();
        Cmd.Result install = daemon.docker("plugin", "install", "--grant-all-permissions", "vieux/sshfs");
        assertThat(install.exitCode()).isNotZero();
        assertThat(install.stderr()).contains("berth does not support managed plugins");
        assertThat(daemon.docker("plugin", "inspect", "vieux/sshfs:latest").stderr()).contains("plugin \"vieux/sshfs:latest\" not found");
        assertThat(daemon.docker("plugin", "rm", "vieux/sshfs").stderr()).contains("not found");
    }

    @Test
    void sessionIsRefusedAndTheClassicBuildStillWorks(@TempDir Path ctx) throws Exception {
        Cmd.Result session = daemon.curl("-X", "POST", "-H", "Upgrade: h2c", "-H", "X-Docker-Expose-Session-Uuid: x",
                "http://berthd/session");
        assertThat(session.stdout()).contains("berth does not offer BuildKit sessions").endsWith("\n400");
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\nRUN echo built > /built\n");
        Cmd.Result build = Cmd.run(List.of("/usr/local/bin/docker", "build", "-q", "-t", "classic:1", ctx.toString()),
                java.util.Map.of("DOCKER_HOST", daemon.host(), "DOCKER_BUILDKIT", "0"), null, java.time.Duration.ofSeconds(120));
        build.orFail();
        assertThat(daemon.docker("run", "--rm", "classic:1", "cat", "/built").orFail().out()).isEqualTo("built");
    }

    @Test
    void resizeOfAContainerAndAnExecTerminal() throws Exception {
        daemon.docker("run", "-d", "-t", "--name", "rs", "busybox", "sleep", "60").orFail();
        assertThat(daemon.curl("-X", "POST", "http://berthd/containers/rs/resize?h=40&w=100").stdout()).endsWith("\n200");
        String exec = daemon.curl("-X", "POST", "-H", "Content-Type: application/json",
                "-d", "{\"Cmd\":[\"sleep\",\"5\"],\"Tty\":true}", "http://berthd/containers/rs/exec").stdout();
        String execId = exec.replaceAll("(?s).*\"Id\":\"([0-9a-f]+)\".*", "$1");
        assertThat(daemon.curl("-X", "POST", "http://berthd/exec/" + execId + "/resize?h=40&w=100").stdout()).doesNotEndWith("\n404");
        daemon.docker("rm", "-f", "rs").orFail();
    }

    @Test
    void saveThroughTheApiWritesALoadableArchive(@TempDir Path tmp) throws Exception {
        Path tar = tmp.resolve("busybox.tar");
        Cmd.Result get = Cmd.run(List.of("curl", "-sS", "-f", "-o", tar.toString(), "--unix-socket",
                daemon.host().substring("unix://".length()), "http://berthd/images/busybox/get"), java.util.Map.of(), null,
                java.time.Duration.ofSeconds(60));
        get.orFail();
        assertThat(tarList(tar)).contains("manifest.json", "index.json");
        daemon.docker("save", "-o", tmp.resolve("again.tar").toString(), "busybox").orFail();
        assertThat(tarList(tmp.resolve("again.tar"))).contains("manifest.json");
    }

    @Test
    void distributionInspectAsksTheRegistry(@TempDir Path dir) throws Exception {
        try (RegistryServer registry = RegistryServer.start(RegistryConfig.loopback(dir.resolve("registry")))) {
            String ref = "127.0.0.1:" + registry.port() + "/dist/busybox:1";
            daemon.docker("tag", "busybox", ref).orFail();
            daemon.docker("push", ref).orFail();
            String body = daemon.curl("http://berthd/distribution/" + ref + "/json").stdout();
            assertThat(body).endsWith("\n200").contains("\"Descriptor\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"")
                    .contains("\"digest\":\"sha256:").contains("\"Platforms\":[{\"architecture\":\"");
            assertThat(daemon.curl("http://berthd/distribution/127.0.0.1:" + registry.port() + "/dist/none:1/json").stdout())
                    .endsWith("\n404");
        }
    }

    @Test
    void theBerthCliOffersTheSameCommands(@TempDir Path tmp) throws Exception {
        daemon.cli("run", "-d", "--name", "bcli", "busybox", "sh", "-c", "echo b > /b.txt; sleep 60").orFail();
        awaitFile("bcli", "/b.txt");
        assertThat(daemon.cli("diff", "bcli").orFail().out()).isEqualTo("A /b.txt");
        Path tar = tmp.resolve("bcli.tar");
        daemon.cli("export", "-o", tar.toString(), "bcli").orFail();
        assertThat(tarList(tar)).contains("b.txt", "bin/sh");
        daemon.cli("update", "--memory", "48m", "--restart", "always", "bcli").orFail();
        assertThat(daemon.docker("inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.RestartPolicy.Name}}", "bcli").orFail().out())
                .isEqualTo("50331648 always");
        assertThat(daemon.cli("update", "bcli").stderr()).contains("you must provide one or more flags");
        String id = daemon.cli("commit", "-m", "via berth", "-c", "CMD [\"cat\", \"/b.txt\"]", "bcli", "bcli-image:1").orFail().out();
        assertThat(id).startsWith("sha256:");
        assertThat(daemon.docker("run", "--rm", "bcli-image:1").orFail().out()).isEqualTo("b");
        daemon.cli("rm", "-f", "bcli").orFail();
    }

    @Test
    void removingALinkNeverRemovesTheContainer() throws Exception {
        daemon.docker("create", "--name", "linked", "busybox", "true").orFail();
        // a name without a parent names no link: Docker's refusal, and the container stays (links: LinksTest)
        Cmd.Result r = daemon.docker("rm", "--link", "linked");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("Conflict, cannot remove the default link name of the container");
        daemon.docker("inspect", "linked").orFail();
        daemon.docker("rm", "linked").orFail();
    }

    @Test
    void containerPruneAppliesUntilAndReportsTheWritableLayersItFreed() throws Exception {
        daemon.docker("run", "--name", "pruned-ctr", "-l", "prune=me", "busybox", "sh", "-c", "head -c 2000000 /dev/zero > /two-mb").orFail();
        assertThat(daemon.docker("container", "prune", "-f", "--filter", "until=1h").orFail().out())
                .doesNotContain(daemon.docker("inspect", "-f", "{{.Id}}", "pruned-ctr").orFail().out());
        String id = daemon.docker("inspect", "-f", "{{.Id}}", "pruned-ctr").orFail().out();
        String out = daemon.docker("container", "prune", "-f", "--filter", "label=prune=me").orFail().out();
        assertThat(out).contains(id).contains("Total reclaimed space: 2MB");
    }

    /** Needs /networks/prune (berth-network's endpoints): skipped on a build that lacks them. */
    @Test
    void systemPruneRunsEveryPrune(@TempDir Path ctx) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(daemon.curl("-X", "POST", "http://berthd/networks/prune").stdout().endsWith("\n404"),
                "berthd has no /networks/prune yet");
        daemon.docker("run", "--name", "sys-pruned", "busybox", "true").orFail();
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\nRUN echo x > /x\n");
        daemon.docker("build", "-q", "-t", "sys-pruned:1", ctx.toString()).orFail();
        try {
            String out = daemon.docker("system", "prune", "-a", "-f", "--volumes").orFail().out();
            assertThat(out).contains("Deleted Containers:").contains("Total reclaimed space");
            assertThat(daemon.docker("inspect", "sys-pruned").exitCode()).isNotZero();
            assertThat(daemon.docker("image", "inspect", "sys-pruned:1").exitCode()).isNotZero();
            daemon.docker("system", "prune", "-f", "--filter", "until=1h").orFail();
        } finally {
            // -a removed every unused image, busybox too: the other tests need it
            daemon.cli("image", "make-busybox", "busybox:latest").orFail();
        }
    }

    private static void awaitFile(String container, String path) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (daemon.docker("exec", container, "test", "-e", path).exitCode() == 0) return;
            Thread.sleep(100);
        }
        throw new AssertionError(path + " never appeared in " + container);
    }

    private static List<String> tarList(Path tar) throws Exception {
        Cmd.Result r = Cmd.run(List.of("tar", "-tf", tar.toString()), java.util.Map.of(), null, java.time.Duration.ofSeconds(60));
        r.orFail();
        return r.stdout().lines().toList();
    }
}
