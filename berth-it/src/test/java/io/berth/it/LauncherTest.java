package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
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

    /**
     * ./berthd's cost is part of berthd's start (issue 13): besides readlink, dirname and the build check's find, it
     * runs only stat and md5sum (the name of its jar copy) before java; and java gets the heap options that give
     * memory back after work (a full periodic collection, 1 MB regions, the C heap trimmed, the JIT's thresholds x3)
     * and one malloc arena in its environment (docs/decisions.md, "berthd's memory").
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
                    "\"-XX:TrimNativeHeapInterval=5000\"", "\"-Xmx512m\"", "\"-XX:CompileThresholdScaling=3\"",
                    "\"MALLOC_ARENA_MAX=1\"");
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

    /** Fails without the launcher's check: a missing cache left every call slower, in silence. */
    @Test
    void aMissingAotCacheIsTrainedAtTheNextCallSayingSoOnce() throws Exception {
        Path berth = DebianBaseImage.script().getParent().resolveSibling("berth");
        run(berth.toString(), "--version").orFail(); // builds first when sources changed
        Path cache = berth.resolveSibling("berth-cli").resolve("target").resolve("berth-cli.aot");
        Files.delete(cache);
        Cmd.Result call = run(berth.toString(), "--version").orFail();
        assertThat(call.out()).isEqualTo("berth version 0.1.0");
        assertThat(call.stderr()).contains("AOT cache berth-cli.aot is missing: training it");
        assertThat(cache).exists();
        assertThat(run(berth.toString(), "--version").orFail().stderr()).isEmpty();
    }

    /**
     * A cache the JVM refuses (here: trained with another garbage collector than the launcher's) is removed with
     * one line, trained again at the next call with another, and used after that. Fails without the CLI's check.
     */
    @Test
    void aCacheTheJvmRefusesIsSaidOnceThenTrainedAgain() throws Exception {
        Path berth = DebianBaseImage.script().getParent().resolveSibling("berth");
        run(berth.toString(), "--version").orFail(); // builds first when sources changed
        Path target = berth.resolveSibling("berth-cli").resolve("target");
        Path cache = target.resolve("berth-cli.aot");
        String classpath = target.resolve("berth-cli-0.1.0-SNAPSHOT.jar") + ":" + target.resolve("lib") + "/*";
        Files.delete(cache);
        run(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseParallelGC",
                "-XX:AOTCacheOutput=" + cache, "-cp", classpath, "io.berth.cli.Main", "--version").orFail();
        assertThat(cache).exists();

        Cmd.Result refused = run(berth.toString(), "--version").orFail();
        assertThat(refused.out()).isEqualTo("berth version 0.1.0");
        assertThat(refused.stderr()).contains("could not use the CLI's AOT cache").contains("the next call trains a new one");
        assertThat(refused.stderr().lines().count()).isEqualTo(1);
        assertThat(cache).doesNotExist();
        assertThat(run(berth.toString(), "--version").orFail().stderr()).contains("is missing: training it");
        assertThat(run(berth.toString(), "--version").orFail().stderr()).isEmpty(); // used: nothing more to say
    }

    /**
     * A training that makes no cache (here: a JDK whose training runs fail) says so once, with where its output is,
     * and is not tried again on every call, only by the next build.
     */
    @Test
    void aTrainingThatMakesNoCacheIsSaidOnceWithItsOutput() throws Exception {
        Path berth = DebianBaseImage.script().getParent().resolveSibling("berth");
        run(berth.toString(), "--version").orFail(); // builds first when sources changed
        Path target = berth.resolveSibling("berth-cli").resolve("target");
        Path cache = target.resolve("berth-cli.aot");
        Path jdk = Files.createTempDirectory("berth-jdk");
        Path realJava = Path.of(System.getProperty("java.home"), "bin", "java");
        Files.copy(realJava.resolveSibling("..").resolve("release").normalize(), jdk.resolve("release"));
        Path fakeJava = Files.createDirectory(jdk.resolve("bin")).resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\ncase \"$*\" in *AOTCacheOutput*) echo training broke >&2; exit 3;; esac\n"
                + "exec " + realJava + " \"$@\"\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = Map.of("JAVA_HOME", jdk.toString());
        Files.delete(cache);
        try {
            Cmd.Result call = Cmd.run(List.of(berth.toString(), "--version"), env, null, Duration.ofMinutes(10)).orFail();
            assertThat(call.out()).isEqualTo("berth version 0.1.0");
            assertThat(call.stderr()).contains("training the CLI's AOT cache berth-cli.aot made none")
                    .contains(target.resolve("berth-cli.aot.log").toString());
            assertThat(target.resolve("berth-cli.aot.log")).content().contains("training broke");
            assertThat(target.resolve("berth-cli.aot.failed")).exists();
            assertThat(Cmd.run(List.of(berth.toString(), "--version"), env, null, Duration.ofMinutes(10)).orFail().stderr())
                    .isEmpty();
        } finally {
            Files.deleteIfExists(target.resolve("berth-cli.aot.failed"));
            Files.deleteIfExists(target.resolve("berth-cli.aot.log"));
            run(berth.toString(), "--version").orFail(); // trains it again, for the tests after this one
            Files.delete(fakeJava);
            Files.delete(jdk.resolve("bin"));
            Files.delete(jdk.resolve("release"));
            Files.delete(jdk);
        }
    }

    /**
     * A user who cannot write the tree (in the socket's group, running root's checkout) can neither keep a cache nor
     * remove a refused one: no training on every call and no line on every call, the owner's next call does it.
     * Failed before: the launcher trained on every call and exited on the mark it could not write.
     */
    @Test
    void aUserWhoCannotWriteTheTreeIsNeitherSlowedByTrainingNorToldOnEveryCall() throws Exception {
        Path berth = DebianBaseImage.script().getParent().resolveSibling("berth");
        run(berth.toString(), "--version").orFail(); // builds first when sources changed
        Path target = berth.resolveSibling("berth-cli").resolve("target");
        Path cache = target.resolve("berth-cli.aot");
        String classpath = target.resolve("berth-cli-0.1.0-SNAPSHOT.jar") + ":" + target.resolve("lib") + "/*";
        String[] asNobody = {"setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", "env", "HOME=/tmp",
                berth.toString(), "--version"};
        try {
            Files.delete(cache);
            Cmd.Result missing = run(asNobody).orFail();
            assertThat(missing.out()).isEqualTo("berth version 0.1.0");
            assertThat(missing.stderr()).isEmpty();
            assertThat(cache).doesNotExist();
            assertThat(target.resolve("berth-cli.aot.failed")).doesNotExist();

            run(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseParallelGC",
                    "-XX:AOTCacheOutput=" + cache, "-cp", classpath, "io.berth.cli.Main", "--version").orFail();
            Cmd.Result refused = run(asNobody).orFail();
            assertThat(refused.out()).isEqualTo("berth version 0.1.0");
            assertThat(refused.stderr()).isEmpty();
            assertThat(cache).exists();
        } finally {
            Files.deleteIfExists(cache);
            run(berth.toString(), "--version").orFail(); // trains it again, for the tests after this one
        }
    }

    private static Cmd.Result run(String... cmd) throws Exception {
        return Cmd.run(List.of(cmd), Map.of(), null, Duration.ofMinutes(10));
    }
}
