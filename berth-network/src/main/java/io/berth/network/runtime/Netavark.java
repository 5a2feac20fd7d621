package io.berth.network.runtime;

import com.fasterxml.jackson.core.type.TypeReference;
import io.berth.linux.AtomicFile;
import io.berth.linux.ErrnoException;
import io.berth.linux.Flock;
import io.berth.linux.Syscalls;
import io.berth.oci.errors.SystemFailureException;
import io.berth.runtime.HostCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs netavark: {@code setup} wires a namespace into its networks (bridge, veth, addresses, routes, NAT, port
 * forwards, aardvark-dns entries), {@code teardown} undoes exactly what the same options set up.
 * <p>
 * Its config dir (aardvark-dns's per-network name files and pid) lives under the exec root, on tmpfs: it
 * describes running containers only, so a reboot rightly forgets it. The firewall driver is pinned to iptables
 * (NETAVARK_FW) rather than left to netavark's probing of firewalld.
 * <p>
 * One netavark call at a time on this host: netavark 1.4 takes no lock of its own, and two calls at once break
 * each other (measured: "iptables: Chain already exists" and duplicated NAT rules when a setup races another,
 * a bridge deleted under a starting container when the last one's teardown races it). The lock is a file lock
 * (flock) on a host-wide path, because the bridges and iptables chains are the host's, shared by every berthd on
 * it, behind an in-process lock, so that only one thread of a berthd ever waits in flock(2).
 */
public final class Netavark {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final TypeReference<Map<String, NetavarkJson.StatusBlock>> STATUS = new TypeReference<>() {};
    private static final Path HOST_LOCK = Path.of("/run/berth-netavark.lock");
    private static final java.util.concurrent.locks.ReentrantLock IN_PROCESS = new java.util.concurrent.locks.ReentrantLock();
    private static final String ISOLATION_CHAIN = "NETAVARK_ISOLATION_1";
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "NETAVARK_FW", "iptables");
    private static final Syscalls SYS = new Syscalls((operation, t) -> new SystemFailureException(operation + " call failed", t));

    private final Path binary;
    private final Path aardvark;
    private final Path configDir;

    public Netavark(Path binary, Path aardvark, Path configDir) {
        this.binary = binary;
        this.aardvark = aardvark;
        this.configDir = configDir;
    }

    /** netavark and aardvark-dns as Debian installs them, with the config dir under {@code execRoot}. */
    public static Netavark standard(Path execRoot) {
        return new Netavark(Path.of("/usr/lib/podman/netavark"), Path.of("/usr/lib/podman/aardvark-dns"),
                execRoot.resolve("netavark"));
    }

    public Path configDir() {
        return configDir;
    }

    /** Sets up {@code netns} as {@code options} say, the options written first to {@code optionsFile}; per network, what it made. */
    public Map<String, NetavarkJson.StatusBlock> setup(Path netns, NetavarkJson.Options options, Path optionsFile) throws IOException {
        write(options, optionsFile);
        String out = run("setup", netns, optionsFile, List.of());
        try {
            return NetavarkJson.MAPPER.readValue(out, STATUS);
        } catch (IOException e) {
            throw new SystemFailureException("netavark setup answered what berth cannot read: " + out, e);
        }
    }

    /** Undoes a setup of {@code options}, written to {@code optionsFile} first (a disconnect's one network). */
    public void teardown(Path netns, NetavarkJson.Options options, Path optionsFile) throws IOException {
        write(options, optionsFile);
        List<String> bridges = options.networkInfo().values().stream().map(NetavarkJson.Network::networkInterface).toList();
        run("teardown", netns, optionsFile, bridges);
    }

    static void write(NetavarkJson.Options options, Path file) throws IOException {
        java.nio.file.Files.createDirectories(file.getParent());
        // scratch input: the write-ahead record (NetworkRecords) is the durable copy
        AtomicFile.writeUnsynced(file, NetavarkJson.MAPPER.writeValueAsBytes(options), AtomicFile.OWNER_ONLY);
    }

    /** @param bridges a teardown's bridges: when one is gone afterwards, the isolation jump is checked ({@link #restoreIsolationJump}) */
    private String run(String command, Path netns, Path optionsFile, List<String> bridges) {
        List<String> argv = List.of(binary.toString(), "--config", configDir.toString(), "--aardvark-binary",
                aardvark.toString(), "--file", optionsFile.toString(), command, netns.toString());
        HostCommand.Result r;
        Path scratch = optionsFile.resolveSibling("netavark-" + command);
        // The in-process lock first: flock(2) blocks its (virtual) thread inside a native call, which pins the
        // carrier; with several starts waiting there the carriers ran out and the holder could not finish.
        IN_PROCESS.lock();
        try (Flock ignored = Flock.exclusive(SYS, HOST_LOCK)) {
            r = HostCommand.run(argv, ENV, scratch, TIMEOUT);
            if (command.equals("teardown") && bridges.stream().anyMatch(b -> !Files.exists(Path.of("/sys/class/net", b)))) {
                restoreIsolationJump(scratch);
            }
        } catch (ErrnoException e) {
            throw new SystemFailureException("locking " + HOST_LOCK + " for netavark: " + e.getMessage(), e);
        } finally {
            IN_PROCESS.unlock();
        }
        if (r.exitCode() != 0) throw new SystemFailureException("netavark " + command + " failed: " + message(r));
        return r.stdout();
    }

    /**
     * netavark 1.4's teardown of one isolated network deletes FORWARD's jump to NETAVARK_ISOLATION_1 even when
     * other isolated networks still have rules there (measured: two isolated networks set up, one torn down, the
     * jump gone and the other network no longer isolated until some later setup adds it back). So after a
     * teardown, while still holding the lock, the jump is put back in first place where isolation rules remain.
     * Only a teardown that removed a bridge needs it: 1.4 removes a network's rules (the jump among them) only
     * with its bridge, when the last endpoint leaves; any other teardown would pay 3–4 {@code iptables} calls for
     * nothing.
     * The only iptables berth runs itself; netavark ≥ 1.5 keeps the jump.
     */
    private static void restoreIsolationJump(Path scratch) {
        for (String tool : List.of("iptables", "ip6tables")) {
            HostCommand.Result rules = HostCommand.run(List.of(tool, "-w", "-S", ISOLATION_CHAIN), ENV, scratch, TIMEOUT);
            if (rules.exitCode() != 0 || !rules.stdout().contains("-A " + ISOLATION_CHAIN)) continue;
            if (HostCommand.run(List.of(tool, "-w", "-C", "FORWARD", "-j", ISOLATION_CHAIN), ENV, scratch, TIMEOUT).exitCode() == 0) continue;
            HostCommand.Result insert = HostCommand.run(List.of(tool, "-w", "-I", "FORWARD", "1", "-j", ISOLATION_CHAIN), ENV, scratch, TIMEOUT);
            if (insert.exitCode() != 0) {
                throw new SystemFailureException("restoring the isolation of berth's networks (" + tool + "): " + message(insert));
            }
        }
    }

    /** netavark reports an error as {"error": "..."} on stdout, and logs to stderr. */
    static String message(HostCommand.Result r) {
        try {
            var node = NetavarkJson.MAPPER.readTree(r.stdout());
            if (node != null && node.hasNonNull("error")) return node.get("error").asText();
        } catch (IOException ignored) {
            // not JSON: fall through to stderr
        }
        String text = (r.stderr().strip() + " " + r.stdout().strip()).strip();
        return text.isEmpty() ? "exit code " + r.exitCode() : text;
    }
}
