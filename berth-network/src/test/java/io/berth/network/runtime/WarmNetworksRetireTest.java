package io.berth.network.runtime;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * berthd makes the default bridge's placeholder on a thread of its own after its socket answers, so its stop
 * ({@link WarmNetworks#retireAll}) can come before or during that set-up: either way no placeholder outlives it.
 * netavark is a script that logs its calls (and, for the slow case, answers only once the test lets it); the
 * namespaces are real (root).
 */
@Tag("privileged")
class WarmNetworksRetireTest {
    @TempDir
    Path tmp;
    private Path execRoot;
    private Path log;
    private Path go;
    private final InMemoryNetworks networks = new InMemoryNetworks();
    private NetworkCatalog.NetworkFacts net;
    private WarmNetworks warm;

    @BeforeEach
    void setUp() throws Exception {
        execRoot = tmp.resolve("exec");
        log = tmp.resolve("netavark.log");
        go = tmp.resolve("go");
        net = networks.add("t73", "berth-t73", "10.201.73", false);
        Path fake = tmp.resolve("netavark");
        Files.writeString(fake, """
                #!/bin/sh
                while [ $# -gt 0 ]; do case "$1" in setup|teardown) cmd=$1;; esac; shift; done
                echo "$cmd" >> LOG
                if [ "$cmd" = setup ]; then
                  while [ ! -e GO ]; do sleep 0.05; done
                  echo '{"berth-t73":{"interfaces":{"eth0":{"mac_address":"02:00:00:00:00:01","subnets":[{"ipnet":"10.201.73.254/24","gateway":"10.201.73.1"}]}}}}'
                fi
                """.replace("LOG", log.toString()).replace("GO", go.toString()));
        fake.toFile().setExecutable(true);
        warm = new WarmNetworks(execRoot, networks, new Netavark(fake, Path.of("/usr/lib/podman/aardvark-dns"), execRoot.resolve("netavark")));
    }

    @Test
    void aStopBeforeTheWarmUpLeavesNothingToMake() throws Exception {
        Files.createFile(go);
        warm.retireAll();
        assertThat(warm.ensure(net)).isFalse();
        assertThat(warm.isWarm(net.id())).isFalse();
        assertThat(log).doesNotExist();
        assertThat(execRoot.resolve("warm").resolve(net.id())).doesNotExist();
    }

    @Test
    void aStopDuringTheWarmUpWaitsForItAndTearsItDown() throws Exception {
        var warmUp = CompletableFuture.supplyAsync(() -> warm.ensure(net));
        for (int i = 0; i < 200 && !Files.exists(log); i++) Thread.sleep(50);
        assertThat(Files.readAllLines(log)).containsExactly("setup");
        var stop = CompletableFuture.runAsync(warm::retireAll);
        Thread.sleep(300);
        assertThat(stop).as("the stop waits for the set-up under way").isNotDone();
        Files.createFile(go);
        assertThat(warmUp.get(30, TimeUnit.SECONDS)).isTrue();
        stop.get(30, TimeUnit.SECONDS);
        assertThat(Files.readAllLines(log)).containsExactly("setup", "teardown");
        assertThat(warm.isWarm(net.id())).isFalse();
        assertThat(execRoot.resolve("warm").resolve(net.id())).doesNotExist();
        assertThat(networks.released).isNotEmpty();
        assertThat(warm.ensure(net)).as("nothing is made after the stop").isFalse();
        assertThat(Files.readAllLines(log)).isEqualTo(List.of("setup", "teardown"));
    }
}
