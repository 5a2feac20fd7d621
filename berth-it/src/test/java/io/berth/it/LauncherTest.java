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
     * run and exec start with the cache trained on them alone (a JDK 25 JVM loads every class of its cache at
     * start: ~1,900 instead of ~2,900 for exec), every other command with the general one; and C1 waits for 10x
     * the usual calls before it compiles a method (a quarter of a call's CPU went to compiling).
     */
    @Test
    void runAndExecStartWithTheContainerCacheOtherCommandsWithTheGeneralOne() throws Exception {
        Path berth = DebianBaseImage.script().getParent().resolveSibling("berth");
        run(berth.toString(), "--version").orFail(); // builds (and trains the caches) first when sources changed
        assertThat(javaArguments(berth, "exec", "--help")).contains("berth-container.aot", "-XX:CompileThresholdScaling=10")
                .doesNotContain("berth-cli.aot");
        assertThat(javaArguments(berth, "-H", "unix:///nowhere.sock", "run", "--help")).contains("berth-container.aot");
        assertThat(javaArguments(berth, "ps", "--help")).contains("berth-cli.aot", "-XX:CompileThresholdScaling=10")
                .doesNotContain("berth-container.aot");
    }

    /** The arguments the launcher started java with for one call. */
    private static String javaArguments(Path berth, String... args) throws Exception {
        Path trace = Files.createTempFile("berth-launcher", ".strace");
        try {
            List<String> cmd = new ArrayList<>(List.of("strace", "-f", "-qq", "-s", "1000", "-v", "-e", "trace=execve",
                    "-o", trace.toString(), berth.toString()));
            cmd.addAll(List.of(args));
            run(cmd.toArray(String[]::new)).orFail();
            return Files.readAllLines(trace).stream().filter(l -> l.contains("execve(\"") && l.contains("/java\"")
                    && l.endsWith("= 0")).findFirst().orElseThrow();
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
