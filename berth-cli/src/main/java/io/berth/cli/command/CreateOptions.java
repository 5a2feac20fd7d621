package io.berth.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The flags shared by {@code run} and {@code create}, and their translation into the create request body. */
public final class CreateOptions {
    @picocli.CommandLine.Mixin
    HealthOptions health = new HealthOptions();


    @Option(names = "--name", paramLabel = "string", description = "Assign a name to the container")
    String name;

    @Option(names = {"-e", "--env"}, paramLabel = "list", description = "Set environment variables")
    List<String> env = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "list", description = "Read in a file of environment variables")
    List<Path> envFiles = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "string", description = "Working directory inside the container")
    String workdir;

    @Option(names = {"-u", "--user"}, paramLabel = "string", description = "Username or UID (format: <name|uid>[:<group|gid>])")
    String user;

    @Option(names = "--entrypoint", paramLabel = "string", description = "Overwrite the default ENTRYPOINT of the image")
    String entrypoint;

    @Option(names = {"-h", "--hostname"}, paramLabel = "string", description = "Container host name")
    String hostname;

    @Option(names = "--domainname", paramLabel = "string", description = "Container NIS domain name")
    String domainname;

    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
    boolean tty;

    @Option(names = {"-a", "--attach"}, paramLabel = "list", description = "Attach to STDIN, STDOUT or STDERR")
    List<String> attach = new ArrayList<>();

    @Option(names = "--init", description = "Run an init inside the container that forwards signals and reaps processes")
    Boolean init;

    @Option(names = {"-m", "--memory"}, paramLabel = "bytes", description = "Memory limit")
    String memory;

    @Option(names = "--memory-swap", paramLabel = "bytes", description = "Swap limit equal to memory plus swap: '-1' to enable unlimited swap")
    String memorySwap;

    @Option(names = "--cpus", paramLabel = "decimal", description = "Number of CPUs")
    String cpus;

    @Option(names = {"-c", "--cpu-shares"}, paramLabel = "int", description = "CPU shares (relative weight)")
    Long cpuShares;

    @Option(names = "--pids-limit", paramLabel = "int", description = "Tune container pids limit (set -1 for unlimited)")
    Long pidsLimit;

    @Option(names = "--shm-size", paramLabel = "bytes", description = "Size of /dev/shm")
    String shmSize;

    @Option(names = "--read-only", description = "Mount the container's root filesystem as read only")
    boolean readOnly;

    @Option(names = "--cap-add", paramLabel = "list", description = "Add Linux capabilities")
    List<String> capAdd = new ArrayList<>();

    @Option(names = "--cap-drop", paramLabel = "list", description = "Drop Linux capabilities")
    List<String> capDrop = new ArrayList<>();

    @Option(names = "--security-opt", paramLabel = "list", description = "Security Options")
    List<String> securityOpt = new ArrayList<>();

    @Option(names = "--stop-signal", paramLabel = "string", description = "Signal to stop the container")
    String stopSignal;

    @Option(names = "--stop-timeout", paramLabel = "int", description = "Timeout (in seconds) to stop a container")
    Integer stopTimeout;

    @Option(names = "--restart", paramLabel = "string", description = "Restart policy to apply when a container exits", defaultValue = "no")
    String restart;

    @Option(names = "--rm", description = "Automatically remove the container and its associated anonymous volumes when it exits")
    boolean autoRemove;

    @Option(names = "--runtime", paramLabel = "string", description = "Runtime to use for this container")
    String runtime;

    @Option(names = {"-l", "--label"}, paramLabel = "list", description = "Set meta data on a container")
    List<String> labels = new ArrayList<>();

    @Option(names = "--privileged", description = "Give extended privileges to this container")
    boolean privileged;

    @Option(names = {"-p", "--publish"}, paramLabel = "list", description = "Publish a container's port(s) to the host")
    List<String> publish = new ArrayList<>();

    @Option(names = "--expose", paramLabel = "list", description = "Expose a port or a range of ports")
    List<String> expose = new ArrayList<>();

    @Option(names = {"-P", "--publish-all"}, description = "Publish all exposed ports to random ports")
    boolean publishAll;

    @Option(names = {"-v", "--volume"}, paramLabel = "list", description = "Bind mount a volume")
    List<String> volumes = new ArrayList<>();

    @Option(names = "--volumes-from", paramLabel = "list", description = "Mount volumes from the specified container(s)")
    List<String> volumesFrom = new ArrayList<>();

    @Option(names = "--tmpfs", paramLabel = "list", description = "Mount a tmpfs directory")
    List<String> tmpfs = new ArrayList<>();

    @Option(names = "--mount", paramLabel = "mount", description = "Attach a filesystem mount to the container")
    List<String> mounts = new ArrayList<>();

    @Option(names = {"--network", "--net"}, paramLabel = "network", description = "Connect a container to a network")
    List<String> networks = new ArrayList<>();

    @Option(names = {"--network-alias", "--net-alias"}, paramLabel = "list", description = "Add network-scoped alias for the container")
    List<String> networkAliases = new ArrayList<>();

    @Option(names = "--ip", paramLabel = "string", description = "IPv4 address (e.g., 172.30.100.104)")
    String ip;

    @Option(names = "--ip6", paramLabel = "string", description = "IPv6 address (e.g., 2001:db8::33)")
    String ip6;

    @Option(names = "--mac-address", paramLabel = "string", description = "Container MAC address (e.g., 92:d0:c6:0a:29:33)")
    String macAddress;

    @Option(names = "--dns-search", paramLabel = "list", description = "Set custom DNS search domains")
    List<String> dnsSearch = new ArrayList<>();

    @Option(names = {"--dns-option", "--dns-opt"}, paramLabel = "list", description = "Set DNS options")
    List<String> dnsOptions = new ArrayList<>();

    @Option(names = "--add-host", paramLabel = "list", description = "Add a custom host-to-IP mapping (host:ip)")
    List<String> addHost = new ArrayList<>();

    @Option(names = "--link", paramLabel = "list", description = "Add link to another container (name:alias)")
    List<String> link = new ArrayList<>();

    @Option(names = "--dns", paramLabel = "list", description = "Set custom DNS servers")
    List<String> dns = new ArrayList<>();

    @Option(names = "--ulimit", paramLabel = "ulimit", description = "Ulimit options")
    List<String> ulimits = new ArrayList<>();

    @Option(names = "--group-add", paramLabel = "list", description = "Add additional groups to join")
    List<String> groupAdd = new ArrayList<>();

    @Option(names = "--ipc", paramLabel = "string", description = "IPC mode to use")
    String ipc;

    @Option(names = "--pid", paramLabel = "string", description = "PID namespace to use")
    String pid;

    @Option(names = "--pull", paramLabel = "string", defaultValue = "missing",
            description = "Pull image before running (\"always\", \"missing\", \"never\")")
    String pull;

    @Option(names = "--platform", paramLabel = "string", description = "Set platform if server is multi-platform capable")
    String platform;

    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND", arity = "0..*")
    List<String> command = new ArrayList<>();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The {@code POST /containers/create} body; {@code detach} decides which streams are attached. */
    public ObjectNode toCreateBody(boolean detach, Map<String, String> callerEnv) {
        validate(detach);
        ObjectNode body = NODES.objectNode();
        body.put("Hostname", hostname == null ? "" : hostname);
        body.put("Domainname", domainname == null ? "" : domainname);
        body.put("User", user == null ? "" : user);
        boolean attachStdin;
        boolean attachStdout;
        boolean attachStderr;
        if (detach) {
            attachStdin = attachStdout = attachStderr = false;
        } else if (!attach.isEmpty()) {
            attachStdin = attach.stream().anyMatch(s -> s.equalsIgnoreCase("stdin"));
            attachStdout = attach.stream().anyMatch(s -> s.equalsIgnoreCase("stdout"));
            attachStderr = attach.stream().anyMatch(s -> s.equalsIgnoreCase("stderr"));
        } else {
            attachStdin = interactive;
            attachStdout = true;
            attachStderr = true;
        }
        body.put("AttachStdin", attachStdin);
        body.put("AttachStdout", attachStdout);
        body.put("AttachStderr", attachStderr);
        ObjectNode exposed = exposedPorts();
        if (!exposed.isEmpty()) {
            body.set("ExposedPorts", exposed);
        }
        body.put("Tty", tty);
        body.put("OpenStdin", interactive);
        body.put("StdinOnce", interactive && attachStdin);
        body.set("Env", strings(environment(callerEnv)));
        if (!command.isEmpty()) {
            body.set("Cmd", strings(command));
        }
        body.put("Image", image);
        ObjectNode anonymousVolumes = NODES.objectNode();
        for (String v : volumes) {
            if (!v.contains(":")) {
                anonymousVolumes.set(v, NODES.objectNode());
            }
        }
        if (!anonymousVolumes.isEmpty()) {
            body.set("Volumes", anonymousVolumes);
        }
        body.put("WorkingDir", workdir == null ? "" : workdir);
        if (entrypoint != null) {
            body.set("Entrypoint", strings(List.of(entrypoint)));
        }
        body.set("Labels", labelMap());
        if (stopSignal != null) {
            body.put("StopSignal", stopSignal);
        }
        if (stopTimeout != null) {
            body.put("StopTimeout", stopTimeout);
        }
        health.addTo(body);
        body.set("HostConfig", hostConfig());
        body.set("NetworkingConfig", NODES.objectNode().set("EndpointsConfig", networkAttachments().endpoints()));
        if (macAddress != null && !macAddress.isEmpty()) {
            body.put("MacAddress", macAddress);
        }
        return body;
    }

    private void validate(boolean detach) {
        if (detach && !attach.isEmpty()) {
            throw new IllegalArgumentException("Conflicting options: -a and -d");
        }
        for (String a : attach) {
            if (!a.equalsIgnoreCase("stdin") && !a.equalsIgnoreCase("stdout") && !a.equalsIgnoreCase("stderr")) {
                throw new IllegalArgumentException("valid streams are STDIN, STDOUT and STDERR");
            }
        }
        RestartPolicy policy = RestartPolicy.parse(restart);
        if (autoRemove && !policy.name().equals("no")) {
            throw new IllegalArgumentException("Conflicting options: --restart and --rm");
        }
        if (!List.of("always", "missing", "never").contains(pull)) {
            throw new IllegalArgumentException("invalid pull option: '" + pull + "': must be one of \"always\", \"missing\" or \"never\"");
        }
    }

    private List<String> environment(Map<String, String> callerEnv) {
        List<String> out = new ArrayList<>();
        for (Path file : envFiles) {
            try {
                out.addAll(EnvFile.read(file, callerEnv));
            } catch (IOException e) {
                throw new UncheckedIOException("open " + file + ": " + e.getMessage(), e);
            }
        }
        for (String e : env) {
            if (!e.contains("=") && callerEnv.containsKey(e)) {
                out.add(e + "=" + callerEnv.get(e));
            } else {
                out.add(e);
            }
        }
        return out;
    }

    private ObjectNode labelMap() {
        ObjectNode out = NODES.objectNode();
        for (String l : labels) {
            int eq = l.indexOf('=');
            out.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        return out;
    }

    private NetworkFlags.Parsed networkAttachments() {
        return NetworkFlags.parse(networks, networkAliases, ip, ip6, macAddress);
    }

    private ObjectNode exposedPorts() {
        ObjectNode out = NODES.objectNode();
        for (String port : PortSpecs.parse(publish, expose).exposed()) {
            out.set(port, NODES.objectNode());
        }
        return out;
    }

    private ObjectNode hostConfig() {
        ObjectNode hc = NODES.objectNode();
        List<String> binds = volumes.stream().filter(v -> v.contains(":")).toList();
        if (!binds.isEmpty()) {
            hc.set("Binds", strings(binds));
        }
        if (!volumesFrom.isEmpty()) {
            hc.set("VolumesFrom", strings(volumesFrom));
        }
        if (!mounts.isEmpty()) {
            ArrayNode m = hc.putArray("Mounts");
            mounts.forEach(spec -> m.add(MountOption.parse(spec)));
        }
        hc.put("NetworkMode", networkAttachments().mode());
        ObjectNode portBindings = NODES.objectNode();
        PortSpecs.parse(publish, expose).bindings().forEach((port, list) -> {
            ArrayNode array = portBindings.putArray(port);
            list.forEach(b -> array.addObject().put("HostIp", b.hostIp()).put("HostPort", b.hostPort()));
        });
        hc.set("PortBindings", portBindings);
        hc.put("PublishAllPorts", publishAll);
        RestartPolicy policy = RestartPolicy.parse(restart);
        hc.set("RestartPolicy", NODES.objectNode().put("Name", policy.name()).put("MaximumRetryCount", policy.maximumRetryCount()));
        hc.put("AutoRemove", autoRemove);
        if (!capAdd.isEmpty()) {
            hc.set("CapAdd", strings(capAdd));
        }
        if (!capDrop.isEmpty()) {
            hc.set("CapDrop", strings(capDrop));
        }
        if (!dns.isEmpty()) {
            hc.set("Dns", strings(dns));
        }
        if (!dnsSearch.isEmpty()) {
            hc.set("DnsSearch", strings(dnsSearch));
        }
        if (!dnsOptions.isEmpty()) {
            hc.set("DnsOptions", strings(dnsOptions));
        }
        if (!addHost.isEmpty()) {
            hc.set("ExtraHosts", strings(addHost));
        }
        if (!link.isEmpty()) {
            hc.set("Links", strings(link));
        }
        if (!groupAdd.isEmpty()) {
            hc.set("GroupAdd", strings(groupAdd));
        }
        if (ipc != null) {
            hc.put("IpcMode", ipc);
        }
        if (pid != null) {
            hc.put("PidMode", pid);
        }
        hc.put("Privileged", privileged);
        hc.put("ReadonlyRootfs", readOnly);
        if (!securityOpt.isEmpty()) {
            hc.set("SecurityOpt", strings(securityOptions()));
        }
        if (!tmpfs.isEmpty()) {
            ObjectNode t = hc.putObject("Tmpfs");
            for (String spec : tmpfs) {
                int colon = spec.indexOf(':');
                t.put(colon < 0 ? spec : spec.substring(0, colon), colon < 0 ? "" : spec.substring(colon + 1));
            }
        }
        if (runtime != null) {
            hc.put("Runtime", runtime);
        }
        if (init != null) {
            hc.put("Init", init);
        }
        if (memory != null) {
            hc.put("Memory", MemorySize.parse(memory));
        }
        if (memorySwap != null) {
            hc.put("MemorySwap", memorySwap.equals("-1") ? -1 : MemorySize.parse(memorySwap));
        }
        if (cpus != null) {
            hc.put("NanoCpus", nanoCpus(cpus));
        }
        if (cpuShares != null) {
            hc.put("CpuShares", cpuShares);
        }
        if (pidsLimit != null) {
            hc.put("PidsLimit", pidsLimit);
        }
        if (shmSize != null) {
            hc.put("ShmSize", MemorySize.parse(shmSize));
        }
        if (!ulimits.isEmpty()) {
            ArrayNode list = hc.putArray("Ulimits");
            for (String u : ulimits) {
                int eq = u.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("invalid ulimit argument: " + u);
                }
                String[] limits = u.substring(eq + 1).split(":");
                long soft = Long.parseLong(limits[0]);
                long hard = limits.length > 1 ? Long.parseLong(limits[1]) : soft;
                list.addObject().put("Name", u.substring(0, eq)).put("Soft", soft).put("Hard", hard);
            }
        }
        return hc;
    }

    /**
     * As the docker CLI: every option but no-new-privileges needs a value; {@code seccomp=FILE} (any value but
     * the names builtin and unconfined) is read here and sent as the profile's compacted JSON, since the daemon
     * may not see the client's files. Other options go as given; the daemon refuses what it does not apply.
     */
    private List<String> securityOptions() {
        List<String> out = new ArrayList<>();
        for (String opt : securityOpt) {
            int sep = opt.indexOf('=') >= 0 ? opt.indexOf('=') : opt.indexOf(':');
            String key = sep < 0 ? opt : opt.substring(0, sep);
            String value = sep < 0 ? "" : opt.substring(sep + 1);
            if (value.isEmpty() && !key.equals("no-new-privileges")) {
                throw new IllegalArgumentException("invalid --security-opt: \"" + opt + "\"");
            }
            if (key.equals("seccomp") && !value.equals("unconfined") && !value.equals("builtin")) {
                String profile;
                try {
                    profile = Files.readString(Path.of(value));
                } catch (IOException e) {
                    throw new IllegalArgumentException("opening seccomp profile (" + value + ") failed: " + e.getMessage());
                }
                try {
                    // built here, not in a static field: an ObjectMapper costs every run ~60 ms of start-up
                    out.add("seccomp=" + new com.fasterxml.jackson.databind.ObjectMapper().readTree(profile).toString());
                } catch (IOException e) {
                    throw new IllegalArgumentException("compacting json for seccomp profile (" + value + ") failed: "
                            + e.getMessage());
                }
            } else {
                out.add(opt);
            }
        }
        return out;
    }

    static long nanoCpus(String value) {
        BigDecimal nanos = new BigDecimal(value).multiply(BigDecimal.valueOf(1_000_000_000L));
        if (nanos.signum() < 0 || nanos.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("invalid argument \"" + value + "\" for \"--cpus\" flag: value is too precise");
        }
        try {
            return nanos.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("invalid argument \"" + value + "\" for \"--cpus\" flag: value out of range");
        }
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }

    /** {@code --restart} values: no, always, unless-stopped, on-failure[:N]. */
    record RestartPolicy(String name, int maximumRetryCount) {
        static RestartPolicy parse(String value) {
            String[] parts = value.split(":", 2);
            String name = parts[0];
            switch (name) {
                case "no", "always", "unless-stopped" -> {
                    if (parts.length > 1) {
                        throw new IllegalArgumentException("invalid restart policy: maximum retry count can only be used with 'on-failure'");
                    }
                    return new RestartPolicy(name, 0);
                }
                case "on-failure" -> {
                    int max = 0;
                    if (parts.length > 1) {
                        try {
                            max = Integer.parseInt(parts[1]);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("invalid restart policy format: maximum retry count must be an integer");
                        }
                    }
                    return new RestartPolicy(name, max);
                }
                default -> throw new IllegalArgumentException("invalid restart policy format: unknown policy '" + name + "'");
            }
        }
    }

    public String name() {
        return name;
    }

    public String image() {
        return image;
    }

    public boolean tty() {
        return tty;
    }

    public boolean interactive() {
        return interactive;
    }

    public boolean autoRemove() {
        return autoRemove;
    }

    public String pull() {
        return pull;
    }

    public String platform() {
        return platform;
    }

}
