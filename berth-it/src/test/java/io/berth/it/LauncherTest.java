package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ./berth launcher's own cost: a `docker ps` takes ~15 ms, and every process the script forks
 * (readlink, dirname, grep, a $(...) subshell) costs ~1 ms of that before the JVM starts. Once built,
 * a call runs only the script, the one `find` that checks whether sources changed, and java.
 */
class LauncherTest {

    private static final Pattern EXECVE = Pattern.compile("execve\\(\"([^\"]+)\"");
    private static final Pattern FORK = Pattern.compile("^(\\d+) +(clone|clone3|fork|vfork)\\((?!.*CLONE_THREAD)");

    @Test
    void aBuiltCliCallForksOnlyFindAndExecsJava() throws Exception {
        Path berth = DebianBaseImage.script().getParent().resolveSibling("berth");
        run(berth.toString(), "--version").orFail(); // builds first when sources changed
        Path trace = Files.createTempFile("berth-launcher", ".strace");
        try {
            Cmd.Result call = run("strace", "-f", "-qq", "-e", "trace=execve,clone,clone3,fork,vfork", "-o", trace.toString(),
                    berth.toString(), "--version").orFail();
            assertThat(call.out()).isEqualTo("berth version 0.1.0");
            List<String> programs = new ArrayList<>();
            int forks = 0;
            int scriptPid = -1;
            for (String line : Files.readAllLines(trace)) {
                Matcher exec = EXECVE.matcher(line);
                if (exec.find() && line.endsWith("= 0")) { // not the attempts along PATH
                    programs.add(Path.of(exec.group(1)).getFileName().toString());
                    if (scriptPid < 0) {
                        scriptPid = Integer.parseInt(line.substring(0, line.indexOf(' ')));
                    }
                }
                Matcher fork = FORK.matcher(line);
                if (fork.find() && Integer.parseInt(fork.group(1)) == scriptPid) {
                    forks++;
                }
            }
            assertThat(programs).as("programs run by one call").containsExactly("berth", "bash", "find", "java");
            assertThat(forks).as("processes the script forked before exec'ing java").isEqualTo(1);
        } finally {
            Files.deleteIfExists(trace);
        }
    }

    /**
     * ./berthd's cost is part of berthd's start (issue 13): besides readlink, dirname and the build check's find, it
     * runs only stat and md5sum (the name of its jar copy) before java; and java gets the heap options that give
     * memory back after work (a full periodic collection, 1 MB regions, the C heap trimmed).
     */
    @Test
    void theDaemonLauncherRunsOnlyStatAndMd5sumBeforeJavaAndGivesItTheHeapOptions() throws Exception {
        Path berthd = DebianBaseImage.script().getParent().resolveSibling("berthd");
        run(berthd.toString(), "--help").orFail(); // builds and copies the jars first when needed
        Path trace = Files.createTempFile("berthd-launcher", ".strace");
        try {
            run("strace", "-f", "-qq", "-v", "-s", "300", "-e", "trace=execve", "-o", trace.toString(), berthd.toString(), "--help").orFail();
            List<String> programs = new ArrayList<>();
            String java = null;
            for (String line : Files.readAllLines(trace)) {
                Matcher exec = EXECVE.matcher(line);
                if (exec.find() && line.endsWith("= 0")) {
                    programs.add(Path.of(exec.group(1)).getFileName().toString());
                    if (exec.group(1).endsWith("/java")) java = line;
                }
            }
            // stat and md5sum are the two ends of one pipeline: either may exec first
            assertThat(programs).as("programs run by one start")
                    .containsExactlyInAnyOrder("berthd", "bash", "readlink", "dirname", "find", "md5sum", "stat", "java")
                    .endsWith("java");
            assertThat(java).contains("\"-XX:+UseG1GC\"", "\"-XX:G1PeriodicGCInterval=5000\"", "\"-XX:-G1PeriodicGCInvokesConcurrent\"",
                    "\"-XX:TrimNativeHeapInterval=5000\"", "\"-Xmx512m\"");
        } finally {
            Files.deleteIfExists(trace);
        }
    }

    @Test
    void jarsRewrittenByMavenAloneGetTheAotCachesTrainedAgainWithoutABuild() throws Exception {
        Path berth = DebianBaseImage.script().getParent().resolveSibling("berth");
        run(berth.toString(), "--version").orFail(); // builds first when sources changed
        Path target = berth.resolveSibling("berth-cli").resolve("target");
        Path jar = target.resolve("berth-cli-0.1.0-SNAPSHOT.jar");
        Path cache = target.resolve("berth-cli.aot");
        // what `mvn package` does to the jar when a source changed: a new file, later than the build stamp
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(1)));
        Thread.sleep(1100);
        Cmd.Result call = run(berth.toString(), "--version").orFail();
        assertThat(call.out()).isEqualTo("berth version 0.1.0");
        assertThat(call.stderr()).contains("training its AOT caches again").doesNotContain("mvn package");
        assertThat(Files.getLastModifiedTime(cache)).isGreaterThan(Files.getLastModifiedTime(jar));
        assertThat(run(berth.toString(), "--version").orFail().stderr()).isEmpty(); // and only once
    }

    private static Cmd.Result run(String... cmd) throws Exception {
        return Cmd.run(List.of(cmd), Map.of(), null, Duration.ofMinutes(10));
    }
}
