package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.registry.server.RegistryConfig;
import io.berth.registry.server.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of berthd at random points of load, pull, push, build and rm (50 kill points): after each restart
 * {@code system check} must be clean (the start-time collector removed what the dead operation left) and every
 * operation that completed before the kill must still be visible.
 */
@Tag("privileged")
class FaultInjectionTest {
    private static final int KILL_POINTS = Integer.getInteger("berth.faults.points", 50);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    /** One kind of operation: {@code prepare} runs on the live daemon first, {@code command} is what is killed. */
    private interface Operation {
        String name();

        void prepare(BerthdProcess d, int i) throws Exception;

        List<String> command(int i);

        /** What must hold after a restart if the command completed before the kill. */
        void recordCompleted(int i, Map<String, Boolean> tags, Map<String, Boolean> containers);
    }

    @Test
    void killNineAtFiftyPointsLeavesACleanStoreAndLosesNothingCompleted() throws Exception {
        Random random = new Random(Long.getLong("berth.faults.seed", System.nanoTime()));
        BerthdProcess daemon = DaemonFixture.startWithBusybox("faults");
        RegistryServer registry = RegistryServer.start(RegistryConfig.loopback(work.resolve("registry")));
        List<String> log = new ArrayList<>();
        try {
            String reg = "127.0.0.1:" + registry.port();
            Path big = work.resolve("big");
            Files.createDirectories(big);
            Cmd.run(List.of("sh", "-c", "head -c 24000000 /dev/urandom > " + big.resolve("payload")
                    + " && tar -C " + big + " -cf " + work.resolve("big.tar") + " ."), Map.of(), null,
                    Duration.ofSeconds(60)).orFail();
            daemon.docker("import", work.resolve("big.tar").toString(), "big:1").orFail();
            daemon.docker("save", "-o", work.resolve("big-save.tar").toString(), "big:1").orFail();
            daemon.docker("tag", "big:1", reg + "/big:1").orFail();
            daemon.docker("push", reg + "/big:1").orFail();
            Path ctx = Files.createDirectories(work.resolve("ctx"));
            Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\nARG N\n"
                    + "RUN echo $N > /n && head -c 6000000 /dev/urandom > /x\nCOPY Dockerfile /copied\n");

            Map<String, Boolean> tags = new LinkedHashMap<>();
            Map<String, Boolean> containers = new LinkedHashMap<>();
            List<Operation> ops = List.of(
                    op("load", (d, i) -> {
                        rmiQuietly(d, "big:1");
                        tags.remove("big:1");
                    },
                            i -> docker("load", "-i", work.resolve("big-save.tar").toString()),
                            (i, t, cs) -> t.put("big:1", true)),
                    op("pull", (d, i) -> {
                        // both tags go, so the image and its blobs do, and the pull downloads them again
                        rmiQuietly(d, reg + "/big:1");
                        rmiQuietly(d, "big:1");
                        tags.remove(reg + "/big:1");
                        tags.remove("big:1");
                    },
                            i -> docker("pull", reg + "/big:1"),
                            (i, t, cs) -> t.put(reg + "/big:1", true)),
                    op("push", (d, i) -> d.docker("tag", "busybox", reg + "/pushed" + i + ":1").orFail(),
                            i -> docker("push", reg + "/pushed" + i + ":1"),
                            (i, t, cs) -> t.put(reg + "/pushed" + i + ":1", true)),
                    op("build", (d, i) -> { },
                            i -> docker("build", "-q", "--build-arg", "N=" + i, "-t", "built" + i + ":1", ctx.toString()),
                            (i, t, cs) -> t.put("built" + i + ":1", true)),
                    op("rm", (d, i) -> {
                        d.docker("create", "--name", "victim" + i, "busybox", "true").orFail();
                        d.docker("tag", "busybox", "untag" + i + ":1").orFail();
                    },
                            i -> List.of("sh", "-c", "docker rm -f victim" + i + " && docker rmi untag" + i + ":1"),
                            (i, t, cs) -> {
                                cs.put("victim" + i, false);
                                tags.put("untag" + i + ":1", false);
                            }));

            // How long each operation takes uninterrupted: the kill delays are drawn from 0 to 1.2 times that.
            Map<String, Long> millis = new HashMap<>();
            for (Operation o : ops) {
                o.prepare(daemon, 1000);
                long t0 = System.nanoTime();
                run(daemon, o.command(1000)).waitFor(120, TimeUnit.SECONDS);
                millis.put(o.name(), Math.max(50, (System.nanoTime() - t0) / 1_000_000));
            }
            log.add("uninterrupted durations (ms): " + millis);
            int completed = 0;
            for (int i = 0; i < KILL_POINTS; i++) {
                Operation o = ops.get(i % ops.size());
                o.prepare(daemon, i);
                // Every fourth round lets the operation finish and kills right after its answer (what completed
                // must survive); the others kill at a random point of its uninterrupted duration.
                boolean letFinish = (i / ops.size()) % 4 == 3;
                long delay = letFinish ? 60_000 : (long) (random.nextDouble() * 1.2 * millis.get(o.name()));
                long t0 = System.nanoTime();
                Process client = run(daemon, o.command(i));
                boolean exited = client.waitFor(delay, TimeUnit.MILLISECONDS);
                if (letFinish) {
                    delay = (System.nanoTime() - t0) / 1_000_000;
                    millis.merge(o.name(), delay, Math::max); // the machine is slower now than when measured
                }
                daemon.killHard();
                client.waitFor(60, TimeUnit.SECONDS);
                boolean done = exited && client.exitValue() == 0;
                if (done) {
                    completed++;
                    o.recordCompleted(i, tags, containers);
                }
                long t1 = System.nanoTime();
                daemon = new BerthdProcess(daemon.root).start();
                long t2 = System.nanoTime();
                String answer = daemon.post("/berth/system/check").orFail().stdout();
                log.add(i + " " + o.name() + " killed after " + delay + " ms" + (done ? " (completed)" : "")
                        + "; restart " + (t2 - t1) / 1_000_000 + " ms, check " + (System.nanoTime() - t2) / 1_000_000
                        + " ms, cycle " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                JsonNode check = JSON.readTree(answer);
                assertThat(check.has("Problems")).as("system check answered %s", answer).isTrue();
                assertThat(check.path("Problems")).as("system check after kill %d (%s)\n%s", i, o.name(),
                        String.join("\n", log)).isEmpty();
                String images = daemon.docker("images", "--format", "{{.Repository}}:{{.Tag}}").orFail().stdout();
                List<String> listed = List.of(images.split("\n"));
                for (Map.Entry<String, Boolean> e : tags.entrySet()) {
                    assertThat(listed.contains(e.getKey())).as("tag %s after kill %d", e.getKey(), i)
                            .isEqualTo(e.getValue());
                }
                String names = daemon.docker("ps", "-a", "--format", "{{.Names}}").orFail().stdout();
                List<String> containerNames = List.of(names.split("\n"));
                for (Map.Entry<String, Boolean> e : containers.entrySet()) {
                    assertThat(containerNames.contains(e.getKey())).as("container %s after kill %d", e.getKey(), i)
                            .isEqualTo(e.getValue());
                }
            }
            log.add(completed + " of " + KILL_POINTS + " operations completed before their kill");
            System.out.println(String.join("\n", log));
            // Both outcomes must have happened, or the kill points were not where the work is.
            assertThat(completed).isBetween(1, KILL_POINTS - 1);
            JsonNode repaired = JSON.readTree(daemon.post("/berth/system/check?repair=1").orFail().stdout());
            assertThat(repaired.path("Problems")).isEmpty();
        } catch (AssertionError | RuntimeException e) {
            System.out.println(String.join("\n", log));
            List<String> lines = Files.readAllLines(daemon.log);
            System.out.println(String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
            throw e;
        } finally {
            registry.close();
            DaemonFixture.stop(daemon);
        }
    }

    @Test
    void whatAFailedImportLeftIsCountedByDfAndReclaimedByPrune() throws Exception {
        BerthdProcess daemon = DaemonFixture.startWithBusybox("faults-df");
        try {
            // The layer blob is stored before its unpack finds the unsafe entry and fails the import.
            Path evil = work.resolve("evil.tar");
            Cmd.run(List.of("python3", "-c", "import io, tarfile, sys\n"
                    + "t = tarfile.open(sys.argv[1], 'w')\n"
                    + "i = tarfile.TarInfo('../evil'); data = b'x' * 3000000; i.size = len(data)\n"
                    + "t.addfile(i, io.BytesIO(data)); t.close()", evil.toString()), Map.of(), null,
                    Duration.ofSeconds(30)).orFail();
            Cmd.Result failed = daemon.docker("import", evil.toString(), "evil:1");
            assertThat(failed.exitCode()).isNotZero();

            JsonNode df = JSON.readTree(Cmd.run(List.of("curl", "-sS", "--unix-socket", daemon.socket.toString(),
                    "http://berthd/system/df"), Map.of(), null, Duration.ofSeconds(30)).orFail().stdout());
            assertThat(df.path("BerthUnreferenced").path("Size").asLong()).isGreaterThan(3_000_000);
            assertThat(daemon.docker("system", "df").orFail().stdout()).containsPattern("Images\\s+1\\s+0\\s+[0-9.]+MB");
            JsonNode check = JSON.readTree(daemon.post("/berth/system/check").orFail().stdout());
            assertThat(check.path("Problems").toString()).contains("referenced by nothing");
            assertThat(daemon.cli("system", "check").exitCode()).isEqualTo(1);

            // (the docker CLI prints 0 B when no image was deleted, whatever SpaceReclaimed says)
            JsonNode pruned = JSON.readTree(daemon.post("/images/prune").orFail().stdout());
            assertThat(pruned.path("SpaceReclaimed").asLong()).isGreaterThan(3_000_000);
            assertThat(daemon.cli("system", "check").orFail().stdout()).contains("No problems found");
        } finally {
            DaemonFixture.stop(daemon);
        }
    }

    private interface Prepare {
        void run(BerthdProcess d, int i) throws Exception;
    }

    private interface Expect {
        void record(int i, Map<String, Boolean> tags, Map<String, Boolean> containers);
    }

    private static Operation op(String name, Prepare prepare, java.util.function.IntFunction<List<String>> command,
                                Expect expect) {
        return new Operation() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void prepare(BerthdProcess d, int i) throws Exception {
                prepare.run(d, i);
            }

            @Override
            public List<String> command(int i) {
                return command.apply(i);
            }

            @Override
            public void recordCompleted(int i, Map<String, Boolean> tags, Map<String, Boolean> containers) {
                expect.record(i, tags, containers);
            }
        };
    }

    private static List<String> docker(String... args) {
        List<String> cmd = new ArrayList<>(List.of("/usr/local/bin/docker"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void rmiQuietly(BerthdProcess d, String ref) throws Exception {
        d.docker("rmi", ref); // absent after a kill that came first is fine
    }

    private static Process run(BerthdProcess d, List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DOCKER_HOST", d.host());
        pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        return pb.start();
    }
}
