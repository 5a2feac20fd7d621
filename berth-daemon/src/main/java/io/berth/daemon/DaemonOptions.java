package io.berth.daemon;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.berth.oci.errors.InvalidArgumentException;

/**
 * berthd's command line.
 *
 * @param dataRoot images, snapshots and containers (persistent)
 * @param execRoot runtime state that must not outlive a reboot (crun --root)
 * @param socket the Engine API socket
 */
public record DaemonOptions(Path dataRoot, Path execRoot, Path socket, String defaultRuntime, List<String> insecureRegistries) {

    static final String USAGE = """
            Usage: berthd [--data-root DIR] [--exec-root DIR] [--host unix:///path.sock] [--runtime crun|runc]
                          [--insecure-registry HOST[:PORT]|CIDR ...]
              --data-root   persistent state (default /var/lib/berth)
              --exec-root   runtime state on tmpfs (default /run/berth/exec, or DATA-ROOT/exec with --data-root)
              --host        Engine API socket (default unix:///run/berth/berth.sock)
              --runtime     default OCI runtime (default crun)
              --insecure-registry  a registry reached over plain HTTP (repeatable; loopback always is)
            """;

    public static DaemonOptions parse(String[] args) {
        Path dataRoot = Path.of("/var/lib/berth");
        Path execRoot = null;
        Path socket = Path.of("/run/berth/berth.sock");
        String runtime = "crun";
        List<String> insecure = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (flag.equals("--help") || flag.equals("-h")) throw new InvalidArgumentException(USAGE);
            if (value == null) {
                if (i + 1 >= args.length) throw new InvalidArgumentException("flag needs a value: " + flag + "\n" + USAGE);
                value = args[++i];
            }
            switch (flag) {
                case "--data-root" -> dataRoot = Path.of(value).toAbsolutePath();
                case "--exec-root" -> execRoot = Path.of(value).toAbsolutePath();
                case "--host", "-H" -> {
                    if (!value.startsWith("unix://")) throw new InvalidArgumentException("only unix:// hosts are supported: " + value);
                    socket = Path.of(value.substring("unix://".length()));
                }
                case "--runtime", "--default-runtime" -> {
                    if (!value.equals("crun") && !value.equals("runc")) throw new InvalidArgumentException("unknown runtime: " + value);
                    runtime = value;
                }
                case "--insecure-registry" -> insecure.add(value);
                default -> throw new InvalidArgumentException("unknown flag: " + flag + "\n" + USAGE);
            }
        }
        if (execRoot == null) {
            execRoot = dataRoot.equals(Path.of("/var/lib/berth")) ? Path.of("/run/berth/exec") : dataRoot.resolve("exec");
        }
        return new DaemonOptions(dataRoot, execRoot, socket, runtime, List.copyOf(insecure));
    }
}
