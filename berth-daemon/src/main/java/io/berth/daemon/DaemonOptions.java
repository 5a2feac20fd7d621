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
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.berth.daemon.http.ApiHost;
import io.berth.daemon.http.ApiJson;
import io.berth.network.Network;
import io.berth.network.NetworkService;
import io.berth.runtime.LogSettings;
import io.berth.oci.errors.InvalidArgumentException;

/**
 * berthd's command line, over an optional JSON config file in the shape of Docker's daemon.json
 * ({@code data-root}, {@code exec-root}, {@code hosts}, {@code tls}, {@code tlsverify}, {@code tlscacert},
 * {@code tlscert}, {@code tlskey}, {@code default-runtime}, {@code insecure-registries}, {@code group},
 * {@code log-driver}, {@code log-opts}, {@code default-network-opts}).
 * A flag wins over the file; insecure registries from both apply.
 *
 * @param dataRoot images, snapshots and containers (persistent)
 * @param execRoot runtime state that must not outlive a reboot (crun --root)
 * @param hosts where the Engine API is served: Unix sockets and TCP ports (dockerd's repeatable {@code -H})
 * @param tls the TCP listeners' TLS files, null for plain HTTP (then only loopback TCP addresses are allowed)
 * @param socketGroup the group given access to the sockets (mode 0660 root:GROUP); "" for root only
 * @param socketGroupExplicit whether the group was asked for (then it must exist) or is the default (then it
 *                            applies only when it exists, as dockerd treats its default group "docker")
 * @param defaultLog the log driver and options of containers whose create names none (Docker's json-file unless
 *                   the file's log-driver/log-opts say otherwise; checked at start as a create checks them)
 * @param defaultNetworkOptions the bridge driver's options that a network create without them gets (dockerd's
 *                              {@code --default-network-opt bridge=KEY=VALUE} and daemon.json's
 *                              {@code default-network-opts}), e.g. a larger MTU for every user network
 */
public record DaemonOptions(Path dataRoot, Path execRoot, List<ApiHost> hosts, TlsFiles tls, String defaultRuntime,
                            List<String> insecureRegistries, String socketGroup, boolean socketGroupExplicit,
                            LogSettings defaultLog, Map<String, String> defaultNetworkOptions) {
    public DaemonOptions {
        defaultNetworkOptions = Map.copyOf(defaultNetworkOptions);
    }

    /** berth's counterpart of dockerd's "docker" group: members may use the socket, and so are root-equivalent. */
    static final String DEFAULT_SOCKET_GROUP = "berth";
    static final String DEFAULT_HOST = "unix:///run/berth/berth.sock";

    /**
     * The PEM files of TCP listeners' TLS, as dockerd's flags name them.
     *
     * @param verifyClients {@code --tlsverify}: a client needs a certificate signed by {@code ca}
     */
    public record TlsFiles(Path ca, Path certificate, Path key, boolean verifyClients) {}

    static final String USAGE = """
            Usage: berthd [--config-file FILE] [--data-root DIR] [--exec-root DIR] [-H unix:///path.sock|tcp://HOST:PORT ...]
                          [--tlsverify] [--tls] [--tlscacert FILE] [--tlscert FILE] [--tlskey FILE]
                          [--runtime crun|runc] [--insecure-registry HOST[:PORT]|CIDR ...] [--group GROUP]
                          [--default-network-opt bridge=KEY=VALUE ...]
              --config-file daemon.json-style settings (default /etc/berth/daemon.json when it exists)
              --data-root   persistent state (default /var/lib/berth)
              --exec-root   runtime state on tmpfs (default /run/berth/exec; /run/berth/exec-HASH for another data root)
              -H, --host    where to serve the Engine API, repeatable (default unix:///run/berth/berth.sock);
                            tcp:// other than loopback needs --tlsverify
              --tlsverify   TLS on tcp:// hosts, and clients need a certificate signed by --tlscacert
              --tls         TLS on tcp:// hosts without client certificates (loopback addresses only)
              --tlscacert   CA that clients' certificates must chain to (default $DOCKER_CERT_PATH/ca.pem, ~/.docker/ca.pem)
              --tlscert     the server's certificate (default $DOCKER_CERT_PATH/cert.pem, ~/.docker/cert.pem)
              --tlskey      the server's key (default $DOCKER_CERT_PATH/key.pem, ~/.docker/key.pem)
              --runtime     default OCI runtime (default crun)
              --insecure-registry  a registry reached over plain HTTP (repeatable; loopback always is)
              -G, --group   group given access to the sockets, mode 0660 root:GROUP (default "berth" when that
                            group exists; "" for root only)
              --default-network-opt  an option every new user network of the driver gets unless its create
                            gives it, repeatable (bridge=com.docker.network.driver.mtu=65520)
            """;

    static final Path DEFAULT_CONFIG = Path.of("/etc/berth/daemon.json");
    private static final Set<String> BOOLEAN_FLAGS = Set.of("--tls", "--tlsverify");

    public static DaemonOptions parse(String[] args) {
        return parse(args, DEFAULT_CONFIG, System.getenv());
    }

    static DaemonOptions parse(String[] args, Path defaultConfig) {
        return parse(args, defaultConfig, Map.of("HOME", "/root"));
    }

    static DaemonOptions parse(String[] args, Path defaultConfig, Map<String, String> env) {
        Path dataRoot = null;
        Path execRoot = null;
        List<String> hostFlags = new ArrayList<>();
        String runtime = null;
        Path configFile = null;
        String group = null;
        Boolean tls = null;
        Boolean tlsVerify = null;
        Path caFile = null;
        Path certFile = null;
        Path keyFile = null;
        LinkedHashSet<String> insecure = new LinkedHashSet<>();
        Map<String, String> networkOptionFlags = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (flag.equals("--help") || flag.equals("-h")) throw new InvalidArgumentException(USAGE);
            if (BOOLEAN_FLAGS.contains(flag)) {
                boolean on = value == null || bool(flag, value);
                if (flag.equals("--tls")) tls = on;
                else tlsVerify = on;
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) throw new InvalidArgumentException("flag needs a value: " + flag + "\n" + USAGE);
                value = args[++i];
            }
            switch (flag) {
                case "--config-file" -> configFile = Path.of(value).toAbsolutePath();
                case "--data-root" -> dataRoot = Path.of(value).toAbsolutePath();
                case "--exec-root" -> execRoot = Path.of(value).toAbsolutePath();
                case "--host", "-H" -> hostFlags.add(value);
                case "--tlscacert" -> caFile = Path.of(value).toAbsolutePath();
                case "--tlscert" -> certFile = Path.of(value).toAbsolutePath();
                case "--tlskey" -> keyFile = Path.of(value).toAbsolutePath();
                case "--runtime", "--default-runtime" -> runtime = runtime(value);
                case "--insecure-registry" -> insecure.add(value);
                case "--group", "-G" -> group = value;
                case "--default-network-opt" -> defaultNetworkOption(value, networkOptionFlags);
                default -> throw new InvalidArgumentException("unknown flag: " + flag + "\n" + USAGE);
            }
        }
        JsonNode file = readConfig(configFile != null ? configFile : defaultConfig, configFile != null);
        if (dataRoot == null && file.hasNonNull("data-root")) dataRoot = Path.of(file.get("data-root").asText()).toAbsolutePath();
        if (execRoot == null && file.hasNonNull("exec-root")) execRoot = Path.of(file.get("exec-root").asText()).toAbsolutePath();
        if (hostFlags.isEmpty() && file.has("hosts")) {
            if (!file.get("hosts").isArray()) throw new InvalidArgumentException("config file: \"hosts\" must be a list of strings");
            file.get("hosts").forEach(h -> hostFlags.add(h.asText()));
        }
        if (tls == null && file.has("tls")) tls = fileBool(file, "tls");
        if (tlsVerify == null && file.has("tlsverify")) tlsVerify = fileBool(file, "tlsverify");
        if (caFile == null && file.hasNonNull("tlscacert")) caFile = Path.of(file.get("tlscacert").asText()).toAbsolutePath();
        if (certFile == null && file.hasNonNull("tlscert")) certFile = Path.of(file.get("tlscert").asText()).toAbsolutePath();
        if (keyFile == null && file.hasNonNull("tlskey")) keyFile = Path.of(file.get("tlskey").asText()).toAbsolutePath();
        if (runtime == null && file.hasNonNull("default-runtime")) runtime = runtime(file.get("default-runtime").asText());
        file.path("insecure-registries").forEach(r -> insecure.add(r.asText()));
        if (group == null && file.has("group")) {
            if (!file.get("group").isTextual()) throw new InvalidArgumentException("config file: \"group\" must be a string");
            group = file.get("group").asText();
        }

        Map<String, String> networkOptions = new TreeMap<>(fileNetworkOptions(file));
        networkOptions.putAll(networkOptionFlags);
        try {
            NetworkService.checkDefaultOptions(networkOptions);
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException("default network options: " + e.getMessage());
        }

        // As dockerd: --tlsverify implies --tls, and the files default to the Docker certificate directory.
        boolean verify = tlsVerify != null && tlsVerify;
        TlsFiles tlsFiles = null;
        if (verify || (tls != null && tls)) {
            Path certDir = certDirectory(env);
            tlsFiles = new TlsFiles(caFile != null ? caFile : certDir.resolve("ca.pem"),
                    certFile != null ? certFile : certDir.resolve("cert.pem"),
                    keyFile != null ? keyFile : certDir.resolve("key.pem"), verify);
        }
        if (hostFlags.isEmpty()) hostFlags.add(DEFAULT_HOST);
        List<ApiHost> hosts = new ArrayList<>();
        for (String h : hostFlags) {
            ApiHost host = ApiHost.parse(h, tlsFiles != null);
            if (!hosts.contains(host)) hosts.add(host);
        }
        ListenPolicy.check(hosts, tlsFiles);

        if (dataRoot == null) dataRoot = Path.of("/var/lib/berth");
        if (runtime == null) runtime = "crun";
        if (execRoot == null) execRoot = defaultExecRoot(dataRoot);
        boolean groupExplicit = group != null;
        return new DaemonOptions(dataRoot, execRoot, List.copyOf(hosts), tlsFiles, runtime, List.copyOf(new ArrayList<>(insecure)),
                groupExplicit ? group : DEFAULT_SOCKET_GROUP, groupExplicit, defaultLog(file), networkOptions);
    }

    /** One {@code --default-network-opt DRIVER=KEY=VALUE}; berth has only the bridge driver. */
    private static void defaultNetworkOption(String value, Map<String, String> into) {
        String[] parts = value.split("=", 3);
        if (parts.length != 3 || parts[1].isEmpty()) {
            throw new InvalidArgumentException("invalid --default-network-opt \"" + value + "\": DRIVER=KEY=VALUE expected");
        }
        checkDriver(parts[0]);
        into.put(parts[1], parts[2]);
    }

    /** daemon.json's default-network-opts: an object of drivers, each an object of strings. */
    static Map<String, String> fileNetworkOptions(JsonNode file) {
        JsonNode all = file.path("default-network-opts");
        if (all.isMissingNode()) return Map.of();
        if (!all.isObject()) throw new InvalidArgumentException("config file: \"default-network-opts\" must be an object");
        Map<String, String> options = new TreeMap<>();
        all.properties().forEach(d -> {
            checkDriver(d.getKey());
            if (!d.getValue().isObject()) {
                throw new InvalidArgumentException("config file: default-network-opts \"" + d.getKey() + "\" must be an object");
            }
            d.getValue().properties().forEach(o -> {
                if (!o.getValue().isTextual()) {
                    throw new InvalidArgumentException("config file: default-network-opts " + d.getKey() + " \""
                            + o.getKey() + "\" must be a string");
                }
                options.put(o.getKey(), o.getValue().asText());
            });
        });
        return options;
    }

    private static void checkDriver(String driver) {
        if (!driver.equals(Network.BRIDGE_DRIVER)) {
            throw new InvalidArgumentException("default network options for driver \"" + driver
                    + "\": berth supports only the bridge driver");
        }
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

    /** The first Unix socket served, null when berthd listens on TCP only. */
    public Path socket() {
        return unixSockets().stream().findFirst().orElse(null);
    }

    public List<Path> unixSockets() {
        return hosts.stream().filter(h -> h instanceof ApiHost.Unix).map(h -> ((ApiHost.Unix) h).socket()).toList();
    }

    /** Docker's certificate directory: $DOCKER_CERT_PATH, else ~/.docker. */
    private static Path certDirectory(Map<String, String> env) {
        String certPath = env.get("DOCKER_CERT_PATH");
        if (certPath != null && !certPath.isEmpty()) return Path.of(certPath);
        return Path.of(env.getOrDefault("HOME", "/root"), ".docker");
    }

    private static boolean bool(String flag, String value) {
        return switch (value) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new InvalidArgumentException("invalid value for " + flag + ": " + value + " (true or false)");
        };
    }

    private static boolean fileBool(JsonNode file, String key) {
        if (!file.get(key).isBoolean()) throw new InvalidArgumentException("config file: \"" + key + "\" must be true or false");
        return file.get(key).asBoolean();
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
            // not through the ObjectMapper: making it (and the locale data it loads) is off the path to the socket
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            JsonNode node = ApiJson.MAPPER.readTree(Files.readAllBytes(file));
            if (node == null || !node.isObject()) throw new InvalidArgumentException("config file " + file + ": expected a JSON object");
            return node;
        } catch (IOException e) {
            throw new InvalidArgumentException("config file " + file + ": " + e.getMessage());
        }
    }

    private static String runtime(String name) {
        if (!name.equals("crun") && !name.equals("runc")) throw new InvalidArgumentException("unknown runtime: " + name);
        return name;
    }
}
