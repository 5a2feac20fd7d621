package io.berth.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real berthd in its own JVM, on its own socket and data root, as the tests' system under test.
 * It is a separate process so that tests can kill -9 it and start a new one on the same state.
 */
final class BerthdProcess implements AutoCloseable {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String CLASSPATH = System.getProperty("java.class.path");

    final Path root;
    final Path dataRoot;
    /** On tmpfs as berthd's default is, one per daemon root so that test daemons never share runtime state. */
    final Path execRoot;
    final Path socket;
    final Path log;
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> extraArgs = new ArrayList<>();
    private Process process;

    BerthdProcess(Path root) {
        this(root, root.resolve("data"));
    }

    /** A daemon with its socket and log under {@code root} and its state in {@code dataRoot}. */
    BerthdProcess(Path root, Path dataRoot) {
        this(root, dataRoot, root.resolve("berth.sock"));
    }

    /** A daemon listening on {@code socket}, a path its clients were told before it started (e.g. in their DOCKER_HOST). */
    BerthdProcess(Path root, Path dataRoot, Path socket) {
        this.root = root;
        this.dataRoot = dataRoot;
        this.execRoot = Path.of("/run/berth-it").resolve(root.getFileName());
        StaleTestState.claim(root);
        this.socket = socket;
        this.log = root.resolve("berthd.log");
    }

    /** A JVM option for the daemon's process (before start). */
    BerthdProcess withJvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** berthd flags besides --data-root and --host (before start). */
    BerthdProcess withArgs(String... args) {
        extraArgs.addAll(List.of(args));
        return this;
    }

    String host() {
        return "unix://" + socket;
    }

    private void launch() throws IOException {
        // as ./berthd starts it: the Vector API for reading logs (LogVectorCopy)
        List<String> cmd = new ArrayList<>(List.of(JAVA, "--enable-native-access=ALL-UNNAMED", "--add-modules",
                "jdk.incubator.vector", "-XX:+UseSerialGC"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", CLASSPATH, "io.berth.daemon.Main", "--data-root", dataRoot.toString(),
                "--exec-root", execRoot.toString(), "--host", host()));
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Starts a daemon that is expected to refuse to run: its exit code once it has ended (within 30 s). */
    int startExpectingExit() throws Exception {
        launch();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("berthd kept running: " + Files.readString(log));
        return process.exitValue();
    }

    BerthdProcess start() throws Exception {
        launch();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("berthd exited (status " + process.exitValue() + "): " + Files.readString(log));
            if (Files.exists(socket) && pings()) return this;
            Thread.sleep(100);
        }
        // not left running: it would hold its containers and networks after the test class gave up on it
        close();
        throw new IllegalStateException("berthd did not come up within 30 s: " + Files.readString(log));
    }

    /** GET /_ping through curl: far cheaper than a CLI JVM, which matters to tests that restart berthd often. */
    private boolean pings() throws IOException, InterruptedException {
        return Cmd.run(List.of("curl", "-sf", "-m", "5", "--unix-socket", socket.toString(), "http://berthd/_ping"),
                Map.of(), null, Duration.ofSeconds(10)).exitCode() == 0;
    }

    /** POST {@code path} on the daemon's socket with curl; the response body. */
    Cmd.Result post(String path) throws IOException, InterruptedException {
        return Cmd.run(List.of("curl", "-sS", "-m", "120", "-X", "POST", "--unix-socket", socket.toString(),
                "http://berthd" + path), Map.of(), null, Duration.ofSeconds(130));
    }

    long pid() {
        return process.pid();
    }

    /** kill -9: the daemon gets no chance to clean up; containers must live on under conmon. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Runs the berth CLI (a separate JVM, like a user would) against this daemon. */
    Cmd.Result cli(String... args) throws IOException, InterruptedException {
        return Cmd.run(cliCommand(args), Map.of("BERTH_HOST", host()), null, Duration.ofSeconds(120));
    }

    /** Runs the berth CLI with its standard input read from {@code input}. */
    Cmd.Result cliWithInput(java.nio.file.Path input, String... args) throws IOException, InterruptedException {
        return Cmd.runWithInput(cliCommand(args), Map.of("BERTH_HOST", host()), input, Duration.ofSeconds(120));
    }

    /** Runs the docker CLI with its standard input read from {@code input}. */
    Cmd.Result dockerWithInput(java.nio.file.Path input, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/local/bin/docker"));
        cmd.addAll(List.of(args));
        return Cmd.runWithInput(cmd, Map.of("DOCKER_HOST", host()), input, Duration.ofSeconds(120));
    }

    /**
     * Runs the berth CLI with {@code env} (over the test's own environment), for hosts other than this socket, and
     * {@code stdin} when not null.
     */
    static Cmd.Result cliWith(Map<String, String> env, byte[] stdin, String... args) throws IOException, InterruptedException {
        return Cmd.run(cliCommand(args), env, stdin, Duration.ofSeconds(120));
    }

    /** Runs the berth CLI on a pseudo-terminal (util-linux `script`), as typed in an interactive shell. */
    Cmd.Result cliInPty(String... args) throws IOException, InterruptedException {
        return cliInPty("", args);
    }

    /** As {@link #cliInPty(String...)}, on a terminal of {@code rows} x {@code cols}. */
    Cmd.Result cliInPty(int rows, int cols, String... args) throws IOException, InterruptedException {
        return cliInPty("stty rows " + rows + " cols " + cols + "; ", args);
    }

    private Cmd.Result cliInPty(String setup, String... args) throws IOException, InterruptedException {
        String line = setup + cliCommand(args).stream().map(a -> "'" + a.replace("'", "'\\''") + "'")
                .collect(java.util.stream.Collectors.joining(" "));
        return Cmd.run(List.of("script", "-qec", line, "/dev/null"), Map.of("BERTH_HOST", host()), null,
                Duration.ofSeconds(120));
    }

    /** {@code berth compose -f FILE ARGS} against this daemon, with {@code env} added to the environment. */
    Cmd.Result compose(Path file, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("BERTH_HOST", host());
        return Cmd.run(composeCommand(file, args), all, null, Duration.ofSeconds(180));
    }

    /** The command line of {@code berth compose -f FILE ARGS} as the tests run the CLI (its JVM straight). */
    static List<String> composeCommand(Path file, String... args) {
        List<String> words = new ArrayList<>(List.of("compose", "-f", file.toString()));
        words.addAll(List.of(args));
        return cliCommand(words.toArray(String[]::new));
    }

    private static List<String> cliCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-cp", CLASSPATH, "io.berth.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** curl on this daemon's socket; the HTTP status is the output's last line. */
    Cmd.Result curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--unix-socket", socket.toString(), "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        return Cmd.run(cmd, Map.of(), null, Duration.ofSeconds(30));
    }

    /** Runs the unmodified docker CLI against this daemon. */
    Cmd.Result docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/local/bin/docker"));
        cmd.addAll(List.of(args));
        return Cmd.run(cmd, Map.of("DOCKER_HOST", host()), null, Duration.ofSeconds(120));
    }

    /** Runs the docker CLI with {@code env} (DOCKER_HOST, DOCKER_TLS_VERIFY ...), and {@code stdin} when not null. */
    static Cmd.Result dockerWith(Map<String, String> env, byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/local/bin/docker"));
        cmd.addAll(List.of(args));
        return Cmd.run(cmd, env, stdin, Duration.ofSeconds(120));
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }
    }
}
