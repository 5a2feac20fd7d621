package io.berth.runtime;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Drives real conmon + crun + overlayfs with a busybox rootfs. Needs root. */
@Tag("privileged")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerServiceTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    Path base;
    Path rootfs;
    RuntimeSettings settings;
    ContainerService service;
    final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    void setUp() throws Exception {
        base = Files.createTempDirectory("berth-rt-it");
        rootfs = BusyboxRootfs.create(base.resolve("layer"));
        settings = RuntimeSettings.defaults(base.resolve("data")).withRunRoot(base.resolve("run"));
        service = new ContainerService(settings, (id, action, attrs) -> events.add(id + ":" + action));
    }

    @AfterAll
    void tearDown() throws IOException {
        for (Container c : service.list()) {
            try {
                service.remove(c.id(), true);
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
        service.close();
        new ProcessBuilder("rm", "-rf", base.toString()).inheritIO().start();
    }

    static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    ContainerSpec spec(String... args) {
        return spec(Resources.UNLIMITED, false, args);
    }

    ContainerSpec spec(Resources r, boolean tty, String... args) {
        return ContainerSpec.builder(newId()).image("busybox").imageId("sha256:" + "0".repeat(64)).args(List.of(args))
                .tty(tty).resources(r).rootfs(new RootfsLayers(List.of(rootfs))).created(Instant.now()).build();
    }

    record Result(int exitCode, String output, Container container) {}

    Result run(ContainerSpec s) {
        Container c = service.create(s);
        service.start(c.id());
        int code = service.waitForExit(c.id(), "not-running");
        StringBuilder out = new StringBuilder();
        for (LogEntry e : service.logs(c.id()).readAll()) out.append(new String(e.data(), StandardCharsets.UTF_8));
        Container after = service.inspect(c.id());
        service.remove(c.id(), false);
        return new Result(code, out.toString(), after);
    }

    @Test
    void echoPrintsToTheLogAndExitsZero() {
        Result r = run(spec("echo", "hi"));
        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).isEqualTo("hi\n");
        assertThat(r.container().state().status()).isEqualTo(ContainerState.Status.EXITED);
        assertThat(r.container().state().finishedAt()).isNotNull();
    }

    @Test
    void exitCodePropagates() {
        assertThat(run(spec("sh", "-c", "exit 3")).exitCode()).isEqualTo(3);
    }

    static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void processIsPid1AndHostnameIsTheContainers() {
        assertThat(run(spec("sh", "-c", "echo $$")).output()).isEqualTo("1\n");
        ContainerSpec s = spec("hostname").toBuilder().hostname("boat").build();
        assertThat(run(s).output()).isEqualTo("boat\n");
        assertThat(run(spec("cat", "/etc/hostname")).output()).hasSize(13);
    }

    @Test
    void networkNamespaceHasOnlyLoopback() {
        assertThat(run(spec("ls", "/sys/class/net")).output()).isEqualTo("lo\n");
    }

    @Test
    void writableLayerIsPrivateToTheContainer() {
        assertThat(run(spec("sh", "-c", "echo data > /tmp/secret && cat /tmp/secret")).output()).isEqualTo("data\n");
        assertThat(run(spec("test", "-e", "/tmp/secret")).exitCode()).isEqualTo(1);
        assertThat(rootfs.resolve("tmp/secret")).doesNotExist();
    }

    @Test
    void defaultCapabilitiesSeccompAndMasks() {
        String out = run(spec("sh", "-c", "grep -E '^(CapEff|CapBnd|Seccomp|NoNewPrivs):' /proc/self/status; cat /proc/kcore 2>/dev/null | wc -c")).output();
        assertThat(out).contains("CapEff:\t00000000a80425fb").contains("CapBnd:\t00000000a80425fb").contains("Seccomp:\t2")
                .endsWith("0\n");
        ContainerSpec dropped = spec("grep", "CapEff", "/proc/self/status").toBuilder().capDrop(List.of("ALL")).capAdd(List.of("chown")).build();
        assertThat(run(dropped).output()).contains("CapEff:\t0000000000000001");
    }

    @Test
    void userIsResolvedFromPasswd() {
        assertThat(run(spec("id").toBuilder().user("user").build()).output()).startsWith("uid=1000(user) gid=1000(user)").contains("50(staff)");
        assertThat(run(spec("id", "-u").toBuilder().user("4242:50").build()).output()).isEqualTo("4242\n");
        Container c = service.create(spec("id").toBuilder().user("nope").build());
        assertThatThrownBy(() -> service.start(c.id())).hasMessageContaining("unable to find user nope");
        service.remove(c.id(), true);
    }

    @Test
    void readOnlyRootfs() {
        Result r = run(spec("touch", "/x").toBuilder().readOnlyRootfs(true).build());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output()).contains("Read-only file system");
    }

    @Test
    void memoryLimitOomKills() {
        Result r = run(spec(new Resources(20L << 20, 0, 0, 0), false, "sh", "-c", "head -c 100m /dev/zero | tail"));
        assertThat(r.exitCode()).isEqualTo(137);
        assertThat(r.container().state().oomKilled()).isTrue();
    }

    @Test
    void pidsLimitStopsForkBomb() {
        Result r = run(spec(new Resources(0, 0, 10, 0), false, "sh", "-c",
                "i=0; while [ $i -lt 30 ]; do sleep 2 & i=$((i+1)); done; echo done"));
        assertThat(r.output()).containsIgnoringCase("fork");
    }

    @Test
    void cpuQuotaFromNanoCpus() throws Exception {
        Container c = service.create(spec(new Resources(0, 500_000_000L, 0, 0), false, "sleep", "30"));
        service.start(c.id());
        try {
            Path quota = Path.of("/sys/fs/cgroup/cpu/berth", c.id(), "cpu.cfs_quota_us");
            if (HostFacts.cgroupV2()) {
                assertThat(Files.readString(Path.of("/sys/fs/cgroup/berth", c.id(), "cpu.max")).trim()).isEqualTo("50000 100000");
            } else {
                assertThat(Files.readString(quota).trim()).isEqualTo("50000");
            }
            ContainerStats st = service.stats(c.id());
            assertThat(st.memoryUsage()).isPositive();
            assertThat(st.pidsCurrent()).isGreaterThanOrEqualTo(1);
            List<List<String>> top = service.top(c.id(), null);
            assertThat(top.get(0)).contains("PID", "CMD");
            assertThat(top).hasSize(2);
            assertThat(String.join(" ", top.get(1))).contains("sleep 30");
            service.pause(c.id());
            assertThat(service.inspect(c.id()).state().status()).isEqualTo(ContainerState.Status.PAUSED);
            service.unpause(c.id());
            assertThat(service.inspect(c.id()).state().status()).isEqualTo(ContainerState.Status.RUNNING);
            assertThatThrownBy(() -> service.start(c.id())).isInstanceOf(io.berth.oci.errors.FailedPreconditionException.class);
            assertThatThrownBy(() -> service.remove(c.id(), false)).isInstanceOf(io.berth.oci.errors.ConflictException.class)
                    .hasMessageContaining("You cannot remove a running container");
        } finally {
            service.remove(c.id(), true);
        }
        assertThatThrownBy(() -> service.inspect(c.id())).isInstanceOf(io.berth.oci.errors.NotFoundException.class);
    }

    @Test
    void stopKillsATermTrappingProcessAfterTheTimeout() {
        Container c = service.create(spec("sh", "-c", "trap 'echo got' TERM; while true; do sleep 0.1; done"));
        service.start(c.id());
        long t0 = System.nanoTime();
        service.stop(c.id(), 2);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isBetween(1900L, 4500L);
        Container after = service.inspect(c.id());
        assertThat(after.state().exitCode()).isEqualTo(137);
        assertThat(events).contains(c.id() + ":stop", c.id() + ":die");
        assertThatThrownBy(() -> service.kill(c.id(), null)).isInstanceOf(io.berth.oci.errors.ConflictException.class);
        service.remove(c.id(), false);
    }

    @Test
    void initReapsZombiesAndForwardsSigterm() {
        ContainerSpec zs = spec("sh", "-c", "sh -c 'sleep 0.2 & exec true'; sleep 1; cat /proc/1/cmdline | tr '\\0' ' '; echo; ps -o stat | grep -c Z")
                .toBuilder().init(true).build();
        Result r = run(zs);
        assertThat(r.output()).startsWith("/sbin/docker-init -- sh").endsWith("\n0\n");
        Container c = service.create(spec("sleep", "100").toBuilder().init(true).build());
        service.start(c.id());
        long t0 = System.nanoTime();
        service.stop(c.id(), 10);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3000);
        assertThat(service.inspect(c.id()).state().exitCode()).isEqualTo(143);
        service.remove(c.id(), false);
    }

    @Test
    void execRunsInTheContainer() throws Exception {
        Container c = service.create(spec("sleep", "30"));
        service.start(c.id());
        try {
            ExecSession e = service.exec(c.id(), new ExecSpec(List.of("sh", "-c", "echo hi; echo err >&2; hostname"), List.of(), "", "", false, false, false));
            assertThat(readAll(e.stdout())).isEqualTo("hi\n" + c.id().substring(0, 12) + "\n");
            assertThat(readAll(e.stderr())).isEqualTo("err\n");
            assertThat(e.waitFor()).isZero();
            ExecSession e2 = service.exec(c.id(), new ExecSpec(List.of("sh", "-c", "exit 5"), List.of(), "", "", false, false, false));
            assertThat(e2.waitFor()).isEqualTo(5);
            assertThat(service.execSession(e2.id()).inspect().exitCode()).isEqualTo(5);
            ExecSession e3 = service.exec(c.id(), new ExecSpec(List.of("cat"), List.of(), "", "", false, true, false));
            e3.stdin().write("piped\n".getBytes());
            e3.stdin().close();
            assertThat(readAll(e3.stdout())).isEqualTo("piped\n");
            ExecSession t = service.execCreate(c.id(), new ExecSpec(List.of("sh", "-c", "tty; stty size; exit 4"), List.of(), "", "", true, false, false));
            t.resize(30, 100);
            service.execStart(t.id());
            String ttyOut = readAll(t.stdout());
            assertThat(ttyOut).contains("/dev/pts/").contains("30 100\r\n");
            assertThat(t.waitFor()).isEqualTo(4);
        } finally {
            service.remove(c.id(), true);
        }
    }

    @Test
    void ttyRunPrintsThroughTheAttachSocket() throws Exception {
        Container c = service.create(spec(Resources.UNLIMITED, true, "sh", "-c", "sleep 0.3; tty; echo tty-ok"));
        AttachSession a = service.attach(c.id(), false, true, true, false);
        service.start(c.id());
        String out = readAll(a.stdout());
        assertThat(out).contains("/dev/pts/0").contains("tty-ok\r\n");
        assertThat(a.waitFor()).isZero();
        service.remove(c.id(), false);
    }

    @Test
    void stdinThroughTheAttachSocket() throws Exception {
        ContainerSpec s = spec("sh", "-c", "read line; echo got:$line; echo oops >&2").toBuilder().openStdin(true).build();
        Container c = service.create(s);
        AttachSession a = service.attach(c.id(), true, true, true, false);
        service.start(c.id());
        a.stdin().write("hello\n".getBytes());
        assertThat(readAll(a.stdout())).isEqualTo("got:hello\n");
        assertThat(readAll(a.stderr())).isEqualTo("oops\n");
        assertThat(service.waitForExit(c.id(), null)).isZero();
        service.remove(c.id(), false);
    }

    @Test
    void namesAreUniqueAndRenamable() {
        ContainerSpec s = spec("true").toBuilder().name("/unique-one").build();
        Container c = service.create(s);
        assertThat(c.name()).isEqualTo("unique-one");
        assertThatThrownBy(() -> service.create(spec("true").toBuilder().name("unique-one").build()))
                .isInstanceOf(io.berth.oci.errors.ConflictException.class)
                .hasMessage("Conflict. The container name \"/unique-one\" is already in use by container \"" + c.id()
                        + "\". You have to remove (or rename) that container to be able to reuse that name.");
        assertThat(service.inspect("/unique-one").id()).isEqualTo(c.id());
        assertThat(service.inspect(c.id().substring(0, 12)).id()).isEqualTo(c.id());
        service.rename(c.id(), "renamed-one");
        assertThat(service.inspect("renamed-one").id()).isEqualTo(c.id());
        service.remove("renamed-one", false);
    }

    @Test
    void restartPolicyOnFailure() {
        ContainerSpec s = spec("sh", "-c", "exit 1").toBuilder().restartPolicy(new RestartPolicy("on-failure", 2)).build();
        Container c = service.create(s);
        service.start(c.id());
        long deadline = System.currentTimeMillis() + 10_000;
        while (service.inspect(c.id()).restartCount() < 2 && System.currentTimeMillis() < deadline) Thread.onSpinWait();
        assertThat(service.waitForExit(c.id(), "not-running")).isEqualTo(1);
        Container after = service.inspect(c.id());
        assertThat(after.restartCount()).isEqualTo(2);
        assertThat(after.state().status()).isEqualTo(ContainerState.Status.EXITED);
        service.remove(c.id(), false);
    }

    @Test
    void stopOfARestartingContainerEndsItForGood() throws Exception {
        ContainerSpec s = spec("sh", "-c", "sleep 0.2; exit 3").toBuilder().restartPolicy(new RestartPolicy("always", 0)).build();
        Container c = service.create(s);
        service.start(c.id());
        long deadline = System.currentTimeMillis() + 10_000;
        while (!(service.inspect(c.id()).state().status() == ContainerState.Status.RESTARTING && service.inspect(c.id()).restartCount() >= 2)
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertThat(service.inspect(c.id()).state().status()).isEqualTo(ContainerState.Status.RESTARTING);
        service.stop(c.id(), 1);
        Thread.sleep(1500);
        Container after = service.inspect(c.id());
        assertThat(after.state().status()).isEqualTo(ContainerState.Status.EXITED);
        assertThat(after.state().exitCode()).isEqualTo(3);
        service.remove(c.id(), false);
    }

    @Test
    void changedNetworkSettingsAreSavedAndARefusedChangeSavesNothing() throws Exception {
        RuntimeSettings s2 = RuntimeSettings.defaults(base.resolve("data3")).withRunRoot(base.resolve("run3"));
        ContainerService first = new ContainerService(s2, ContainerEvents.NONE);
        Container c = first.create(spec("true"));
        NetworkSpec.Attachment web = new NetworkSpec.Attachment("web", "f".repeat(64), List.of("api"), "", "", "");
        first.changeNetwork(c.id(), now -> {
            NetworkSpec old = now.spec().network();
            return new NetworkSpec(old.hostname(), "web", List.of(web), old.ports(), old.exposed(), old.publishAll(),
                    old.dns(), old.dnsSearch(), old.dnsOptions(), old.extraHosts());
        });
        assertThatThrownBy(() -> first.changeNetwork(c.id(), old -> { throw new IllegalStateException("refused"); }))
                .hasMessage("refused");
        first.close();
        ContainerService second = new ContainerService(s2, ContainerEvents.NONE);
        try {
            second.recover();
            NetworkSpec saved = second.inspect(c.id()).spec().network();
            assertThat(saved.mode()).isEqualTo("web");
            assertThat(saved.attachments()).containsExactly(web);
        } finally {
            second.remove(c.id(), true);
            second.close();
        }
    }

    @Test
    void newServiceRecoversRunningAndExitedContainers() throws Exception {
        RuntimeSettings s2 = RuntimeSettings.defaults(base.resolve("data2")).withRunRoot(base.resolve("run2"));
        ContainerService first = new ContainerService(s2, ContainerEvents.NONE);
        Container running = first.create(spec("sleep", "60"));
        first.start(running.id());
        Container quick = first.create(spec("sh", "-c", "sleep 1; echo bye; exit 7"));
        first.start(quick.id());
        first.close();
        Thread.sleep(1800);
        ContainerService second = new ContainerService(s2, ContainerEvents.NONE);
        try {
            second.recover();
            assertThat(second.inspect(running.id()).state().status()).isEqualTo(ContainerState.Status.RUNNING);
            Container q = second.inspect(quick.id());
            assertThat(q.state().status()).isEqualTo(ContainerState.Status.EXITED);
            assertThat(q.state().exitCode()).isEqualTo(7);
            assertThat(second.logs(quick.id()).readAll()).extracting(e -> new String(e.data())).containsExactly("bye\n");
            second.stop(running.id(), 1);
            // sleep as PID 1 has no SIGTERM handler, so the kernel ignores TERM and the stop ends with SIGKILL
            assertThat(second.inspect(running.id()).state().exitCode()).isEqualTo(137);
        } finally {
            for (Container c : second.list()) second.remove(c.id(), true);
            second.close();
        }
    }

    @Test
    void aRecordedConmonPidNowOfAnotherProcessIsNoLiveConmon() throws Exception {
        RuntimeSettings s2 = RuntimeSettings.defaults(base.resolve("data4")).withRunRoot(base.resolve("run4"));
        ContainerService first = new ContainerService(s2, ContainerEvents.NONE);
        Container c = first.create(spec("sleep", "60"));
        first.start(c.id());
        Container running = first.inspect(c.id());
        first.close();
        // conmon and the container gone while berthd was down, and conmon's pid now another process's
        new ProcessBuilder("kill", "-9", Integer.toString(running.conmonPid()), Integer.toString(running.state().pid())).start().waitFor();
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            Path state = running.paths().stateFile();
            String doc = Files.readString(state);
            String moved = doc.replaceAll("\"conmonPid\"\\s*:\\s*" + running.conmonPid(), "\"conmonPid\" : " + other.pid());
            assertThat(moved).isNotEqualTo(doc);
            Files.writeString(state, moved);
            ContainerService second = new ContainerService(s2, ContainerEvents.NONE);
            try {
                second.recover();
                assertThat(second.inspect(c.id()).state().status()).as("settled, not watched through a stranger")
                        .isEqualTo(ContainerState.Status.EXITED);
            } finally {
                second.remove(c.id(), true);
                second.close();
            }
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void aContainerWhoseConmonIsKilledIsSettledAsExited() throws Exception {
        Container c = service.create(spec("sleep", "60"));
        service.start(c.id());
        int conmonPid = service.inspect(c.id()).conmonPid();
        assertThat(conmonPid).isPositive();
        new ProcessBuilder("kill", "-9", Integer.toString(conmonPid)).start().waitFor();
        long t = System.nanoTime();
        assertThat(service.waitForExit(c.id(), "not-running")).isEqualTo(255);
        assertThat(System.nanoTime() - t).isLessThan(5_000_000_000L);
        Container after = service.inspect(c.id());
        assertThat(after.state().status()).isEqualTo(ContainerState.Status.EXITED);
        assertThat(after.state().error()).contains("conmon exited without recording an exit code");
        service.remove(c.id(), false);
    }

    /**
     * Under crun berthd starts a created container through crun's exec FIFO, as `crun start` does, and deletes an
     * ended one's runtime state as `crun delete` does, without launching crun for either: `crun state` reports it
     * running, its FIFO is gone, the process runs and its exit is reported as before, and after the exit neither
     * crun's state nor a cgroup is left; runc still runs `runc start` (runcRunsTheSameBundle). A wrapper records
     * every crun call.
     */
    @Test
    void crunContainersStartAndEndWithoutCrunStartOrDeleteLaunches() throws Exception {
        Path calls = base.resolve("crun-calls");
        Path wrapper = base.resolve("crun-wrapper");
        Files.writeString(wrapper, "#!/bin/sh\necho \"$*\" >> " + calls + "\nexec /usr/bin/crun \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        RuntimeSettings s = new RuntimeSettings(base.resolve("data-fifo"), base.resolve("run-fifo"), "crun",
                settings.conmonPath(), wrapper, settings.runcPath(), settings.initPath());
        ContainerService svc = new ContainerService(s, ContainerEvents.NONE);
        try {
            Container c = svc.create(spec("sleep", "30"));
            svc.start(c.id());
            Path stateRoot = s.runRoot().resolve("crun");
            Process state = new ProcessBuilder("/usr/bin/crun", "--root", stateRoot.toString(), "state", c.id())
                    .redirectErrorStream(true).start();
            String json = new String(state.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(state.waitFor()).isZero();
            assertThat(json).contains("\"status\": \"running\"");
            assertThat(stateRoot.resolve(c.id()).resolve("exec.fifo")).doesNotExist();
            assertThat(svc.inspect(c.id()).state().status()).isEqualTo(ContainerState.Status.RUNNING);
            svc.stop(c.id(), 1);
            assertThat(svc.inspect(c.id()).state().exitCode()).isEqualTo(137);
            Container quick = svc.create(spec("sh", "-c", "echo started; exit 5"));
            svc.start(quick.id());
            assertThat(svc.waitForExit(quick.id(), "not-running")).isEqualTo(5);
            assertThat(svc.logs(quick.id()).readAll()).extracting(e -> new String(e.data())).containsExactly("started\n");
            List<String> lines = Files.readAllLines(calls);
            assertThat(lines).anyMatch(l -> l.contains(" create ")).noneMatch(l -> l.matches(".* start [0-9a-f]{64}$"));
            // nor a `crun delete` after the exits: berthd deleted crun's state and the cgroups as crun would
            assertThat(lines).noneMatch(l -> l.contains(" delete "));
            for (String id : List.of(c.id(), quick.id())) {
                assertThat(stateRoot.resolve(id)).doesNotExist();
                for (Path dir : CrunStateDeletion.cgroupDirs("/berth/" + id, HostFacts.cgroupV2())) assertThat(dir).doesNotExist();
            }
        } finally {
            for (Container c : svc.list()) svc.remove(c.id(), true);
            svc.close();
        }
    }

    /**
     * What the state deletion does not cover goes to `crun delete --force`: here a process of the host's moved into
     * the container's cgroup keeps it busy after the container's exit; crun kills it and removes everything.
     */
    @Test
    void aBusyCgroupAfterTheExitIsLeftToCrunDelete() throws Exception {
        Container c = service.create(spec("sleep", "30"));
        service.start(c.id());
        Process stray = new ProcessBuilder("sleep", "60").start();
        try {
            List<Path> dirs = CrunStateDeletion.cgroupDirs("/berth/" + c.id(), HostFacts.cgroupV2());
            // where crun looks for what to kill: the one hierarchy on v2, the memory controller's on v1
            Path procs = dirs.stream().filter(d -> dirs.size() == 1 || d.toString().contains("/memory/")).findFirst().orElseThrow()
                    .resolve("cgroup.procs");
            Files.writeString(procs, Long.toString(stray.pid()));
            service.stop(c.id(), 0);
            assertThat(settings.runRoot().resolve("crun").resolve(c.id())).doesNotExist();
            for (Path dir : dirs) assertThat(dir).doesNotExist();
            assertThat(stray.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue(); // killed by crun delete
        } finally {
            stray.destroyForcibly();
            service.remove(c.id(), true);
        }
    }

    @Test
    void runcRunsTheSameBundle() {
        Result r = run(spec("sh", "-c", "echo $$; hostname").toBuilder().runtime("runc").hostname("r1").build());
        assertThat(r.output()).isEqualTo("1\nr1\n");
        assertThat(r.container().runtime()).isEqualTo("runc");
    }

    @Test
    void autoRemoveDeletesTheContainerAfterExit() {
        Container c = service.create(spec("true").toBuilder().autoRemove(true).build());
        service.start(c.id());
        service.waitForExit(c.id(), "removed");
        assertThat(c.paths().dir()).doesNotExist();
        assertThatThrownBy(() -> service.inspect(c.id())).isInstanceOf(io.berth.oci.errors.NotFoundException.class);
    }

    /**
     * An auto-removed container's exit is published but not saved: container.json is not written between its start
     * and its removal (the save's two fsyncs were on `docker run --rm`'s wait). A crash in between is covered by the
     * next start, which settles the exit from conmon's file and removes it (the test below).
     */
    @Test
    void anAutoRemovedContainersExitIsNotSavedBeforeItsRemoval() throws Exception {
        Container c = service.create(spec("sleep", "0.3").toBuilder().autoRemove(true).build());
        service.start(c.id());
        try (java.nio.file.WatchService ws = c.paths().dir().getFileSystem().newWatchService()) {
            java.nio.file.WatchKey key = c.paths().dir().register(ws, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE,
                    java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY);
            assertThat(service.waitForExit(c.id(), "removed")).isZero();
            List<String> written = key.pollEvents().stream().map(ev -> String.valueOf(ev.context()))
                    .filter(name -> name.contains(c.paths().stateFile().getFileName().toString())).toList();
            assertThat(written).as("container.json writes after the start").isEmpty();
        }
    }

    @Test
    void anAutoRemoveContainerThatEndedOrNeverStartedIsRemovedAtTheNextStart() throws Exception {
        RuntimeSettings s2 = RuntimeSettings.defaults(base.resolve("data5")).withRunRoot(base.resolve("run5"));
        ContainerService first = new ContainerService(s2, ContainerEvents.NONE);
        Container created = first.create(spec("true").toBuilder().autoRemove(true).build());
        // an ended --rm container whose removal berthd did not get to: recorded exited, AutoRemove in its document
        Container ended = first.create(spec("true"));
        first.start(ended.id());
        first.waitForExit(ended.id(), "not-running");
        Container kept = first.create(spec("true"));
        first.close();
        Path state = ended.paths().stateFile();
        String doc = Files.readString(state);
        String autoRemove = doc.replaceAll("\"autoRemove\"\\s*:\\s*false", "\"autoRemove\" : true");
        assertThat(autoRemove).isNotEqualTo(doc);
        Files.writeString(state, autoRemove);

        ContainerService second = new ContainerService(s2, ContainerEvents.NONE);
        try {
            second.recover();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (second.list().size() > 1 && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(second.list()).extracting(Container::id).as("only the container without AutoRemove").containsExactly(kept.id());
            assertThat(created.paths().dir()).doesNotExist();
            assertThat(ended.paths().dir()).doesNotExist();
        } finally {
            second.remove(kept.id(), true);
            second.close();
        }
    }

    @Test
    void logsFollowTailAndStreams() throws Exception {
        Container c = service.create(spec("sh", "-c", "echo one; echo two >&2; sleep 0.5; printf three"));
        service.start(c.id());
        List<String> seen = new ArrayList<>();
        service.logs(c.id()).read(new LogReader.Options(true, null, null, -1), e -> {
            seen.add(e.stream() + ":" + new String(e.data(), StandardCharsets.UTF_8) + (e.partial() ? "(P)" : ""));
            return true;
        });
        assertThat(seen).containsExactly("STDOUT:one\n", "STDERR:two\n", "STDOUT:three(P)");
        List<String> tail = new ArrayList<>();
        service.logs(c.id()).read(new LogReader.Options(false, null, null, 1), e -> tail.add(new String(e.data())));
        assertThat(tail).containsExactly("two\n", "three");
        service.remove(c.id(), false);
    }
}
