package io.berth.network.runtime;

import io.berth.runtime.Container;
import io.berth.runtime.ContainerPaths;
import io.berth.runtime.ContainerSpec;
import io.berth.runtime.ContainerState;
import io.berth.runtime.NetworkSpec;
import io.berth.runtime.StepRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a container's network costs, printed for the report: a namespace made in-process against util-linux
 * unshare, and the network step's set-up and tear-down with and without a DNS-enabled network (aardvark-dns).
 */
@Tag("privileged")
class NetworkTimingPrivilegedTest {
    private static final int ROUNDS = 10;

    /** On tmpfs, as the exec root is in berthd. */
    @TempDir(factory = ShmTempDir.class)
    Path tmp;

    static final class ShmTempDir implements org.junit.jupiter.api.io.TempDirFactory {
        @Override
        public Path createTempDirectory(org.junit.jupiter.api.extension.AnnotatedElementContext element,
                                        org.junit.jupiter.api.extension.ExtensionContext context) throws java.io.IOException {
            return Files.createTempDirectory(Path.of("/dev/shm"), "berth-net-timing");
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String b : List.of("berth-t73", "berth-t74")) new ProcessBuilder("ip", "link", "del", b).start().waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void namespaceInProcessAgainstUnshare() throws Exception {
        Path dir = tmp.resolve("netns");
        Netns.create(dir.resolve("warm"));
        Netns.delete(dir.resolve("warm"));
        long ffm = 0, util = 0;
        for (int i = 0; i < ROUNDS; i++) {
            Path f = dir.resolve("f" + i);
            long t0 = System.nanoTime();
            Netns.create(f);
            ffm += System.nanoTime() - t0;
            assertThat(Netns.isMounted(f)).isTrue();
            Netns.delete(f);
            Path u = dir.resolve("u" + i);
            Files.createFile(u);
            t0 = System.nanoTime();
            Process p = new ProcessBuilder("unshare", "--net=" + u, "true").start();
            assertThat(p.waitFor()).isZero();
            util += System.nanoTime() - t0;
            Netns.delete(u);
            assertThat(Netns.isMounted(u)).isFalse();
            Netns.delete(u); // idempotent
        }
        System.out.printf("netns create: in-process %.2f ms, unshare(1) %.2f ms%n", ffm / 1e6 / ROUNDS, util / 1e6 / ROUNDS);
    }

    @Test
    void setUpAndTearDownTimes() throws Exception {
        measure("t73", "berth-t73", "10.201.73", false);
        measure("t74", "berth-t74", "10.201.74", true);
    }

    private void measure(String net, String bridge, String prefix, boolean dns) throws Exception {
        InMemoryNetworks networks = new InMemoryNetworks();
        networks.add(net, bridge, prefix, dns);
        Path execRoot = tmp.resolve("exec-" + net);
        NetworkSteps steps = NetworkSteps.create(execRoot, networks, networks, id -> java.util.OptionalInt.empty(), id -> "container " + id);
        // one container that stays: the bridge, the firewall chains and aardvark exist, as on a busy host
        Container keeper = container(execRoot, net, "keeper");
        StepRun keeperRun = new StepRun(keeper);
        steps.step().setUp(keeperRun);
        keeperRun.awaitBeforeStart();
        long up = 0, down = 0;
        for (int i = 0; i < ROUNDS; i++) {
            Container c = container(execRoot, net, "c" + i);
            long t0 = System.nanoTime();
            StepRun run = new StepRun(c);
            steps.step().setUp(run);
            run.awaitBeforeStart();
            long t1 = System.nanoTime();
            steps.step().tearDown(new StepRun(c));
            long t2 = System.nanoTime();
            up += t1 - t0;
            down += t2 - t1;
        }
        // netavark alone, on one namespace, with the options the step wrote
        Container probe = container(execRoot, net, "probe");
        StepRun probeRun = new StepRun(probe);
        steps.step().setUp(probeRun);
        probeRun.awaitBeforeStart();
        NetworkRecords records = new NetworkRecords(probe.paths().runDir());
        NetavarkJson.Options options = records.readTeardown().orElseThrow().options();
        Path ns = Netns.path(execRoot, probe.id());
        Netavark netavark = Netavark.standard(execRoot);
        netavark.teardown(ns, options, records.netavarkInput());
        long nvUp = 0, nvDown = 0;
        for (int i = 0; i < ROUNDS; i++) {
            long t0 = System.nanoTime();
            netavark.setup(ns, options, records.netavarkInput());
            long t1 = System.nanoTime();
            netavark.teardown(ns, options, records.netavarkInput());
            nvUp += t1 - t0;
            nvDown += System.nanoTime() - t1;
        }
        netavark.setup(ns, options, records.netavarkInput());
        steps.step().tearDown(new StepRun(probe));
        steps.step().tearDown(new StepRun(keeper));
        steps.warm().retireAll();
        NetworkStepPrivilegedTest.stopAardvark(execRoot);
        System.out.printf("network %s (dns %s): step setUp %.1f ms, tearDown %.1f ms; netavark alone setup %.1f ms, teardown %.1f ms%n",
                net, dns, up / 1e6 / ROUNDS, down / 1e6 / ROUNDS, nvUp / 1e6 / ROUNDS, nvDown / 1e6 / ROUNDS);
    }

    private Container container(Path execRoot, String net, String name) {
        String id = (name + "0123456789abcdef".repeat(4)).substring(0, 64);
        NetworkSpec spec = new NetworkSpec("", net, List.of(new NetworkSpec.Attachment(net, "", List.of(), "", "", "")),
                List.of(new NetworkSpec.PortBinding(80, "tcp", "127.0.0.1", 0)), List.of(), false, List.of(), List.of(), List.of(), List.of());
        return new Container(ContainerSpec.builder(id).name(name).network(spec).build(), name, ContainerState.created(), 0,
                "crun", 0, false, ContainerPaths.of(tmp.resolve("data"), execRoot, id));
    }
}
