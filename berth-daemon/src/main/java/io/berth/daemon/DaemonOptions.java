package io.berth.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.daemon.http.ApiJson;
import io.berth.runtime.LogSettings;
import io.berth.oci.errors.InvalidArgumentException;

/**
 * berthd's command line, over an optional JSON config file in the shape of Docker's daemon.json
 * ({@code data-root}, {@code exec-root}, {@code hosts}, {@code default-runtime}, {@code insecure-registries},
 * {@code group}, {@code log-driver}, {@code log-opts}).
 * A flag wins over the file; insecure registries from both apply.
 *
 * @param dataRoot images, snapshots and containers (persistent)
 * @param execRoot runtime state that must not outlive a reboot (crun --root)
 * @param socket the Engine API socket
 * @param socketGroup the group given access to the socket (mode 0660 root:GROUP); "" for root only
 * @param socketGroupExplicit whether the group was asked for (then it must exist) or is the default (then it
 *                            applies only when it exists, as dockerd treats its default group "docker")
 * @param defaultLog the log driver and options of containers whose create names none (Docker's json-file unless
 *                   the file's log-driver/log-opts say otherwise; checked at start as a create checks them)
 */
public record DaemonOptions(Path dataRoot, Path execRoot, Path socket, String defaultRuntime, List<String> insecureRegistries,
                            String socketGroup, boolean socketGroupExplicit, LogSettings defaultLog) {
    public DaemonOptions(Path dataRoot, Path execRoot, Path socket, String defaultRuntime, List<String> insecureRegistries,
                         String socketGroup, boolean socketGroupExplicit) {
        this(dataRoot, execRoot, socket, defaultRuntime, insecureRegistries, socketGroup, socketGroupExplicit, LogSettings.JSON_FILE);
    }

    /** berth's counterpart of dockerd's "docker" group: members may use the socket, and so are root-equivalent. */
    static final String DEFAULT_SOCKET_GROUP = "berth";

    static final String USAGE = """
            Usage: berthd [--config-file FILE] [--data-root DIR] [--exec-root DIR] [--host unix:///path.sock]
                          [--runtime crun|runc] [--insecure-registry HOST[:PORT]|CIDR ...] [--group GROUP]
              --config-file daemon.json-style settings (default /etc/berth/daemon.json when it exists)
              --data-root   persistent state (default /var/lib/berth)
              --exec-root   runtime state on tmpfs (default /run/berth/exec; /run/berth/exec-HASH for another data root)
              --host        Engine API socket (default unix:///run/berth/berth.sock)
              --runtime     default OCI runtime (default crun)
              --insecure-registry  a registry reached over plain HTTP (repeatable; loopback always is)
              -G, --group   group given access to the socket, mode 0660 root:GROUP (default "berth" when that
                            group exists; "" for root only)
            """;

    static final Path DEFAULT_CONFIG = Path.of("/etc/berth/daemon.json");

    public static DaemonOptions parse(String[] args) {
        return parse(args, DEFAULT_CONFIG);
    }

    static DaemonOptions parse(String[] args, Path defaultConfig) {
        Path dataRoot = null;
        Path execRoot = null;
        Path socket = null;
        String runtime = null;
        Path configFile = null;
        String group = null;
        LinkedHashSet<String> insecure = new LinkedHashSet<>();
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
                case "--config-file" -> configFile = Path.of(value).toAbsolutePath();
                case "--data-root" -> dataRoot = Path.of(value).toAbsolutePath();
                case "--exec-root" -> execRoot = Path.of(value).toAbsolutePath();
                case "--host", "-H" -> socket = unixSocket(value);
                case "--runtime", "--default-runtime" -> runtime = runtime(value);
                case "--insecure-registry" -> insecure.add(value);
                case "--group", "-G" -> group = value;
                default -> throw new InvalidArgumentException("unknown flag: " + flag + "\n" + USAGE);
            }
        }
        JsonNode file = readConfig(configFile != null ? configFile : defaultConfig, configFile != null);
        if (dataRoot == null && file.hasNonNull("data-root")) dataRoot = Path.of(file.get("data-root").asText()).toAbsolutePath();
        if (execRoot == null && file.hasNonNull("exec-root")) execRoot = Path.of(file.get("exec-root").asText()).toAbsolutePath();
        if (socket == null && file.path("hosts").isArray() && !file.path("hosts").isEmpty()) {
            socket = unixSocket(file.path("hosts").get(0).asText());
        }
        if (runtime == null && file.hasNonNull("default-runtime")) runtime = runtime(file.get("default-runtime").asText());
        file.path("insecure-registries").forEach(r -> insecure.add(r.asText()));
        if (group == null && file.has("group")) {
            if (!file.get("group").isTextual()) throw new InvalidArgumentException("config file: \"group\" must be a string");
            group = file.get("group").asText();
        }

        if (dataRoot == null) dataRoot = Path.of("/var/lib/berth");
        if (socket == null) socket = Path.of("/run/berth/berth.sock");
        if (runtime == null) runtime = "crun";
        if (execRoot == null) execRoot = defaultExecRoot(dataRoot);
        boolean groupExplicit = group != null;
        return new DaemonOptions(dataRoot, execRoot, socket, runtime, List.copyOf(new ArrayList<>(insecure)),
                groupExplicit ? group : DEFAULT_SOCKET_GROUP, groupExplicit, defaultLog(file));
    }

    /** daemon.json's log-driver and log-opts (a map of strings), checked as a create's LogConfig is. */
    static LogSettings defaultLog(JsonNode file) {
        JsonNode driver = file.path("log-driver");
        JsonNode opts = file.path("log-opts");
        if (!driver.isMissingNode() && !driver.isTextual()) throw new InvalidArgumentException("config file: \"log-driver\" must be a string");
        if (!opts.isMissingNode() && !opts.isObject()) throw new InvalidArgumentException("config file: \"log-opts\" must be an object");
        Map<String, String> options = new TreeMap<>();
        opts.properties().forEach(o -> {
            if (!o.getValue().isTextual()) throw new InvalidArgumentException("config file: log-opts \"" + o.getKey() + "\" must be a string");
            options.put(o.getKey(), o.getValue().asText());
        });
        try {
            return LogSettings.of(driver.asText("json-file"), options);
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException("config file: " + e.getMessage());
        }
    }

    /**
     * Runtime state lives on /run (tmpfs) as dockerd's does, whatever the data root: a full data disk must not
     * cost containers their exit codes, and a reboot must clear it. Each other data root gets its own directory
     * there, so that several daemons (tests among them) never share conmon's and crun's state.
     */
    static Path defaultExecRoot(Path dataRoot) {
        if (dataRoot.equals(Path.of("/var/lib/berth"))) return Path.of("/run/berth/exec");
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(dataRoot.toString().getBytes(StandardCharsets.UTF_8));
            return Path.of("/run/berth/exec-" + HexFormat.of().formatHex(hash, 0, 6));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The file named by --config-file must exist; the default one is optional. */
    private static JsonNode readConfig(Path file, boolean required) {
        if (!Files.exists(file)) {
            if (required) throw new InvalidArgumentException("config file not found: " + file);
            return ApiJson.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = ApiJson.MAPPER.readTree(Files.readAllBytes(file));
            if (node == null || !node.isObject()) throw new InvalidArgumentException("config file " + file + ": expected a JSON object");
            return node;
        } catch (IOException e) {
            throw new InvalidArgumentException("config file " + file + ": " + e.getMessage());
        }
    }

    private static Path unixSocket(String host) {
        if (!host.startsWith("unix://")) throw new InvalidArgumentException("only unix:// hosts are supported: " + host);
        return Path.of(host.substring("unix://".length()));
    }

    private static String runtime(String name) {
        if (!name.equals("crun") && !name.equals("runc")) throw new InvalidArgumentException("unknown runtime: " + name);
        return name;
    }
}
