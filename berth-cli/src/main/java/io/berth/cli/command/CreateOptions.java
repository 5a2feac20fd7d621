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
import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** The flags shared by {@code run} and {@code create}, and their translation into the create request body. */
public final class CreateOptions {
    HealthOptions health = new HealthOptions();


    String name;

    List<String> env = new ArrayList<>();

    List<Path> envFiles = new ArrayList<>();

    String workdir;

    String user;

    String entrypoint;

    String hostname;

    String domainname;

    boolean interactive;

    boolean tty;

    List<String> attach = new ArrayList<>();

    Boolean init;

    String memory;

    String memorySwap;

    String cpus;

    Long cpuShares;

    Long pidsLimit;

    String shmSize;

    String memoryReservation;

    Long memorySwappiness;

    String kernelMemory;

    boolean oomKillDisable;

    Integer oomScoreAdj;

    String cpusetCpus;

    String cpusetMems;

    Long cpuPeriod;

    Long cpuQuota;

    Long cpuRtPeriod;

    Long cpuRtRuntime;

    Integer blkioWeight;

    List<String> deviceReadBps = new ArrayList<>();

    List<String> deviceWriteBps = new ArrayList<>();

    List<String> deviceReadIops = new ArrayList<>();

    List<String> deviceWriteIops = new ArrayList<>();

    List<String> sysctls = new ArrayList<>();

    boolean readOnly;

    List<String> capAdd = new ArrayList<>();

    List<String> capDrop = new ArrayList<>();

    List<String> securityOpt = new ArrayList<>();

    String logDriver;

    List<String> logOpt = new ArrayList<>();

    String stopSignal;

    Integer stopTimeout;

    String restart;

    boolean autoRemove;

    String runtime;

    List<String> labels = new ArrayList<>();

    List<Path> labelFiles = new ArrayList<>();

    String cidFile;

    boolean privileged;

    List<String> publish = new ArrayList<>();

    List<String> expose = new ArrayList<>();

    boolean publishAll;

    List<String> volumes = new ArrayList<>();

    List<String> volumesFrom = new ArrayList<>();

    List<String> tmpfs = new ArrayList<>();

    List<String> mounts = new ArrayList<>();

    List<String> networks = new ArrayList<>();

    List<String> networkAliases = new ArrayList<>();

    String ip;

    String ip6;

    String macAddress;

    List<String> dnsSearch = new ArrayList<>();

    List<String> dnsOptions = new ArrayList<>();

    List<String> addHost = new ArrayList<>();

    List<String> link = new ArrayList<>();

    List<String> dns = new ArrayList<>();

    List<String> ulimits = new ArrayList<>();

    List<String> groupAdd = new ArrayList<>();

    String ipc;

    String pid;

    String uts;

    String userns;

    String cgroupns;

    List<String> devices = new ArrayList<>();

    List<String> deviceCgroupRules = new ArrayList<>();

    String pull;

    String platform;

    String image;

    List<String> command = new ArrayList<>();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Adds these flags and IMAGE [COMMAND...] to the model of run or create (a mixin, in code: see {@link CommandModel}). */
    void addTo(CommandModel model) {
        health.addTo(model);
        model.add(OptionSpec.builder("--name").paramLabel("string")
                .description("Assign a name to the container"),
                String.class, v -> name = v, () -> name);
        model.addList(OptionSpec.builder("-e", "--env").paramLabel("list")
                .description("Set environment variables"),
                String.class, v -> env = v, () -> env);
        model.addList(OptionSpec.builder("--env-file").paramLabel("list")
                .description("Read in a file of environment variables"),
                Path.class, v -> envFiles = v, () -> envFiles);
        model.add(OptionSpec.builder("-w", "--workdir").paramLabel("string")
                .description("Working directory inside the container"),
                String.class, v -> workdir = v, () -> workdir);
        model.add(OptionSpec.builder("-u", "--user").paramLabel("string")
                .description("Username or UID (format: <name|uid>[:<group|gid>])"),
                String.class, v -> user = v, () -> user);
        model.add(OptionSpec.builder("--entrypoint").paramLabel("string")
                .description("Overwrite the default ENTRYPOINT of the image"),
                String.class, v -> entrypoint = v, () -> entrypoint);
        model.add(OptionSpec.builder("-h", "--hostname").paramLabel("string")
                .description("Container host name"),
                String.class, v -> hostname = v, () -> hostname);
        model.add(OptionSpec.builder("--domainname").paramLabel("string")
                .description("Container NIS domain name"),
                String.class, v -> domainname = v, () -> domainname);
        model.add(OptionSpec.builder("-i", "--interactive")
                .description("Keep STDIN open even if not attached"),
                boolean.class, v -> interactive = v, () -> interactive);
        model.add(OptionSpec.builder("-t", "--tty")
                .description("Allocate a pseudo-TTY"),
                boolean.class, v -> tty = v, () -> tty);
        model.addList(OptionSpec.builder("-a", "--attach").paramLabel("list")
                .description("Attach to STDIN, STDOUT or STDERR"),
                String.class, v -> attach = v, () -> attach);
        model.add(OptionSpec.builder("--init")
                .description("Run an init inside the container that forwards signals and reaps processes"),
                Boolean.class, v -> init = v, () -> init);
        model.add(OptionSpec.builder("-m", "--memory").paramLabel("bytes")
                .description("Memory limit"),
                String.class, v -> memory = v, () -> memory);
        model.add(OptionSpec.builder("--memory-swap").paramLabel("bytes")
                .description("Swap limit equal to memory plus swap: '-1' to enable unlimited swap"),
                String.class, v -> memorySwap = v, () -> memorySwap);
        model.add(OptionSpec.builder("--cpus").paramLabel("decimal")
                .description("Number of CPUs"),
                String.class, v -> cpus = v, () -> cpus);
        model.add(OptionSpec.builder("-c", "--cpu-shares").paramLabel("int")
                .description("CPU shares (relative weight)"),
                Long.class, v -> cpuShares = v, () -> cpuShares);
        model.add(OptionSpec.builder("--pids-limit").paramLabel("int")
                .description("Tune container pids limit (set -1 for unlimited)"),
                Long.class, v -> pidsLimit = v, () -> pidsLimit);
        model.add(OptionSpec.builder("--shm-size").paramLabel("bytes")
                .description("Size of /dev/shm"),
                String.class, v -> shmSize = v, () -> shmSize);
        model.add(OptionSpec.builder("--memory-reservation").paramLabel("bytes")
                .description("Memory soft limit"),
                String.class, v -> memoryReservation = v, () -> memoryReservation);
        model.add(OptionSpec.builder("--memory-swappiness").paramLabel("int")
                .description("Tune container memory swappiness (0 to 100)"),
                Long.class, v -> memorySwappiness = v, () -> memorySwappiness);
        model.add(OptionSpec.builder("--kernel-memory").paramLabel("bytes")
                .description("Kernel memory limit (deprecated: refused by berthd)"),
                String.class, v -> kernelMemory = v, () -> kernelMemory);
        model.add(OptionSpec.builder("--oom-kill-disable")
                .description("Disable OOM Killer"),
                boolean.class, v -> oomKillDisable = v, () -> oomKillDisable);
        model.add(OptionSpec.builder("--oom-score-adj").paramLabel("int")
                .description("Tune host's OOM preferences (-1000 to 1000)"),
                Integer.class, v -> oomScoreAdj = v, () -> oomScoreAdj);
        model.add(OptionSpec.builder("--cpuset-cpus").paramLabel("string")
                .description("CPUs in which to allow execution (0-3, 0,1)"),
                String.class, v -> cpusetCpus = v, () -> cpusetCpus);
        model.add(OptionSpec.builder("--cpuset-mems").paramLabel("string")
                .description("MEMs in which to allow execution (0-3, 0,1)"),
                String.class, v -> cpusetMems = v, () -> cpusetMems);
        model.add(OptionSpec.builder("--cpu-period").paramLabel("int")
                .description("Limit CPU CFS (Completely Fair Scheduler) period"),
                Long.class, v -> cpuPeriod = v, () -> cpuPeriod);
        model.add(OptionSpec.builder("--cpu-quota").paramLabel("int")
                .description("Limit CPU CFS (Completely Fair Scheduler) quota"),
                Long.class, v -> cpuQuota = v, () -> cpuQuota);
        model.add(OptionSpec.builder("--cpu-rt-period").paramLabel("int")
                .description("Limit CPU real-time period in microseconds"),
                Long.class, v -> cpuRtPeriod = v, () -> cpuRtPeriod);
        model.add(OptionSpec.builder("--cpu-rt-runtime").paramLabel("int")
                .description("Limit CPU real-time runtime in microseconds"),
                Long.class, v -> cpuRtRuntime = v, () -> cpuRtRuntime);
        model.add(OptionSpec.builder("--blkio-weight").paramLabel("uint16")
                .description("Block IO (relative weight), between 10 and 1000"),
                Integer.class, v -> blkioWeight = v, () -> blkioWeight);
        model.addList(OptionSpec.builder("--device-read-bps").paramLabel("list")
                .description("Limit read rate (bytes per second) from a device"),
                String.class, v -> deviceReadBps = v, () -> deviceReadBps);
        model.addList(OptionSpec.builder("--device-write-bps").paramLabel("list")
                .description("Limit write rate (bytes per second) to a device"),
                String.class, v -> deviceWriteBps = v, () -> deviceWriteBps);
        model.addList(OptionSpec.builder("--device-read-iops").paramLabel("list")
                .description("Limit read rate (IO per second) from a device"),
                String.class, v -> deviceReadIops = v, () -> deviceReadIops);
        model.addList(OptionSpec.builder("--device-write-iops").paramLabel("list")
                .description("Limit write rate (IO per second) to a device"),
                String.class, v -> deviceWriteIops = v, () -> deviceWriteIops);
        model.addList(OptionSpec.builder("--sysctl").paramLabel("map")
                .description("Sysctl options (name=value)"),
                String.class, v -> sysctls = v, () -> sysctls);
        model.add(OptionSpec.builder("--read-only")
                .description("Mount the container's root filesystem as read only"),
                boolean.class, v -> readOnly = v, () -> readOnly);
        model.addList(OptionSpec.builder("--cap-add").paramLabel("list")
                .description("Add Linux capabilities"),
                String.class, v -> capAdd = v, () -> capAdd);
        model.addList(OptionSpec.builder("--cap-drop").paramLabel("list")
                .description("Drop Linux capabilities"),
                String.class, v -> capDrop = v, () -> capDrop);
        model.addList(OptionSpec.builder("--security-opt").paramLabel("list")
                .description("Security Options"),
                String.class, v -> securityOpt = v, () -> securityOpt);
        model.add(OptionSpec.builder("--log-driver").paramLabel("string")
                .description("Logging driver for the container (json-file, local, k8s-file, none)"),
                String.class, v -> logDriver = v, () -> logDriver);
        model.addList(OptionSpec.builder("--log-opt").paramLabel("list")
                .description("Log driver options (max-size, max-file, compress)"),
                String.class, v -> logOpt = v, () -> logOpt);
        model.add(OptionSpec.builder("--stop-signal").paramLabel("string")
                .description("Signal to stop the container"),
                String.class, v -> stopSignal = v, () -> stopSignal);
        model.add(OptionSpec.builder("--stop-timeout").paramLabel("int")
                .description("Timeout (in seconds) to stop a container"),
                Integer.class, v -> stopTimeout = v, () -> stopTimeout);
        model.add(OptionSpec.builder("--restart").paramLabel("string")
                .description("Restart policy to apply when a container exits").defaultValue("no"),
                String.class, v -> restart = v, () -> restart);
        model.add(OptionSpec.builder("--rm")
                .description("Automatically remove the container and its associated anonymous volumes when it exits"),
                boolean.class, v -> autoRemove = v, () -> autoRemove);
        model.add(OptionSpec.builder("--runtime").paramLabel("string")
                .description("Runtime to use for this container"),
                String.class, v -> runtime = v, () -> runtime);
        model.addList(OptionSpec.builder("-l", "--label").paramLabel("list")
                .description("Set meta data on a container"),
                String.class, v -> labels = v, () -> labels);
        model.addList(OptionSpec.builder("--label-file").paramLabel("list")
                .description("Read in a line delimited file of labels"),
                Path.class, v -> labelFiles = v, () -> labelFiles);
        model.add(OptionSpec.builder("--cidfile").paramLabel("string")
                .description("Write the container ID to the file"),
                String.class, v -> cidFile = v, () -> cidFile);
        model.add(OptionSpec.builder("--privileged")
                .description("Give extended privileges to this container"),
                boolean.class, v -> privileged = v, () -> privileged);
        model.addList(OptionSpec.builder("-p", "--publish").paramLabel("list")
                .description("Publish a container's port(s) to the host"),
                String.class, v -> publish = v, () -> publish);
        model.addList(OptionSpec.builder("--expose").paramLabel("list")
                .description("Expose a port or a range of ports"),
                String.class, v -> expose = v, () -> expose);
        model.add(OptionSpec.builder("-P", "--publish-all")
                .description("Publish all exposed ports to random ports"),
                boolean.class, v -> publishAll = v, () -> publishAll);
        model.addList(OptionSpec.builder("-v", "--volume").paramLabel("list")
                .description("Bind mount a volume"),
                String.class, v -> volumes = v, () -> volumes);
        model.addList(OptionSpec.builder("--volumes-from").paramLabel("list")
                .description("Mount volumes from the specified container(s)"),
                String.class, v -> volumesFrom = v, () -> volumesFrom);
        model.addList(OptionSpec.builder("--tmpfs").paramLabel("list")
                .description("Mount a tmpfs directory"),
                String.class, v -> tmpfs = v, () -> tmpfs);
        model.addList(OptionSpec.builder("--mount").paramLabel("mount")
                .description("Attach a filesystem mount to the container"),
                String.class, v -> mounts = v, () -> mounts);
        model.addList(OptionSpec.builder("--network", "--net").paramLabel("network")
                .description("Connect a container to a network"),
                String.class, v -> networks = v, () -> networks);
        model.addList(OptionSpec.builder("--network-alias", "--net-alias").paramLabel("list")
                .description("Add network-scoped alias for the container"),
                String.class, v -> networkAliases = v, () -> networkAliases);
        model.add(OptionSpec.builder("--ip").paramLabel("string")
                .description("IPv4 address (e.g., 172.30.100.104)"),
                String.class, v -> ip = v, () -> ip);
        model.add(OptionSpec.builder("--ip6").paramLabel("string")
                .description("IPv6 address (e.g., 2001:db8::33)"),
                String.class, v -> ip6 = v, () -> ip6);
        model.add(OptionSpec.builder("--mac-address").paramLabel("string")
                .description("Container MAC address (e.g., 92:d0:c6:0a:29:33)"),
                String.class, v -> macAddress = v, () -> macAddress);
        model.addList(OptionSpec.builder("--dns-search").paramLabel("list")
                .description("Set custom DNS search domains"),
                String.class, v -> dnsSearch = v, () -> dnsSearch);
        model.addList(OptionSpec.builder("--dns-option", "--dns-opt").paramLabel("list")
                .description("Set DNS options"),
                String.class, v -> dnsOptions = v, () -> dnsOptions);
        model.addList(OptionSpec.builder("--add-host").paramLabel("list")
                .description("Add a custom host-to-IP mapping (host:ip)"),
                String.class, v -> addHost = v, () -> addHost);
        model.addList(OptionSpec.builder("--link").paramLabel("list")
                .description("Add link to another container (name:alias)"),
                String.class, v -> link = v, () -> link);
        model.addList(OptionSpec.builder("--dns").paramLabel("list")
                .description("Set custom DNS servers"),
                String.class, v -> dns = v, () -> dns);
        model.addList(OptionSpec.builder("--ulimit").paramLabel("ulimit")
                .description("Ulimit options"),
                String.class, v -> ulimits = v, () -> ulimits);
        model.addList(OptionSpec.builder("--group-add").paramLabel("list")
                .description("Add additional groups to join"),
                String.class, v -> groupAdd = v, () -> groupAdd);
        model.add(OptionSpec.builder("--ipc").paramLabel("string")
                .description("IPC mode to use"),
                String.class, v -> ipc = v, () -> ipc);
        model.add(OptionSpec.builder("--pid").paramLabel("string")
                .description("PID namespace to use"),
                String.class, v -> pid = v, () -> pid);
        model.add(OptionSpec.builder("--uts").paramLabel("string")
                .description("UTS namespace to use"),
                String.class, v -> uts = v, () -> uts);
        model.add(OptionSpec.builder("--userns").paramLabel("string")
                .description("User namespace to use"),
                String.class, v -> userns = v, () -> userns);
        model.add(OptionSpec.builder("--cgroupns").paramLabel("string")
                .description("Cgroup namespace to use (host|private): the daemon's default when not given"),
                String.class, v -> cgroupns = v, () -> cgroupns);
        model.addList(OptionSpec.builder("--device").paramLabel("list")
                .description("Add a host device to the container"),
                String.class, v -> devices = v, () -> devices);
        model.addList(OptionSpec.builder("--device-cgroup-rule").paramLabel("list")
                .description("Add a rule to the cgroup allowed devices list"),
                String.class, v -> deviceCgroupRules = v, () -> deviceCgroupRules);
        model.add(OptionSpec.builder("--pull").paramLabel("string")
                .description("Pull image before running (\"always\", \"missing\", \"never\")").defaultValue("missing"),
                String.class, v -> pull = v, () -> pull);
        model.add(OptionSpec.builder("--platform").paramLabel("string")
                .description("Set platform if server is multi-platform capable"),
                String.class, v -> platform = v, () -> platform);
        model.addPositional(PositionalParamSpec.builder().index("0").paramLabel("IMAGE").required(true),
                String.class, v -> image = v, () -> image);
        model.addPositionalList(PositionalParamSpec.builder().index("1..*").paramLabel("COMMAND").arity("0..*"),
                String.class, v -> command = v, () -> command);

    }

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

    /** Label files first, then {@code -l}, a later label of a name winning (docker's order). */
    private ObjectNode labelMap() {
        ObjectNode out = NODES.objectNode();
        List<String> all = new ArrayList<>();
        for (Path file : labelFiles) {
            String content;
            try {
                content = java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("open " + file + ": " + e.getMessage(), e);
            }
            try {
                // the env file format; a name alone takes nothing from the environment, so it is left out (as docker)
                all.addAll(EnvFile.parse(content, file.toString(), Map.of()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid label file (" + file + "): " + e.getMessage(), e);
            }
        }
        all.addAll(labels);
        for (String l : all) {
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
        if (uts != null) {
            hc.put("UTSMode", uts);
        }
        if (userns != null) {
            hc.put("UsernsMode", userns);
        }
        if (cgroupns != null) {
            hc.put("CgroupnsMode", cgroupns);
        }
        if (!devices.isEmpty()) {
            ArrayNode list = hc.putArray("Devices");
            devices.forEach(d -> list.add(DeviceOption.parse(d)));
        }
        if (!deviceCgroupRules.isEmpty()) {
            hc.set("DeviceCgroupRules", strings(deviceCgroupRules));
        }
        hc.put("Privileged", privileged);
        hc.put("ReadonlyRootfs", readOnly);
        if (!securityOpt.isEmpty()) {
            hc.set("SecurityOpt", strings(securityOptions()));
        }
        if (logDriver != null || !logOpt.isEmpty()) {
            ObjectNode log = hc.putObject("LogConfig");
            log.put("Type", logDriver == null ? "" : logDriver);
            ObjectNode config = log.putObject("Config");
            for (String opt : logOpt) {
                int eq = opt.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException("invalid --log-opt: \"" + opt + "\" (expected key=value)");
                config.put(opt.substring(0, eq), opt.substring(eq + 1));
            }
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
        resourceLimits(hc);
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

    /** The cgroup and process limits beside memory, CPUs and pids; berthd checks each as Docker's daemon does. */
    private void resourceLimits(ObjectNode hc) {
        if (memoryReservation != null) hc.put("MemoryReservation", MemorySize.parse(memoryReservation));
        if (memorySwappiness != null) hc.put("MemorySwappiness", memorySwappiness);
        if (kernelMemory != null) hc.put("KernelMemory", MemorySize.parse(kernelMemory));
        if (oomKillDisable) hc.put("OomKillDisable", true);
        if (oomScoreAdj != null) hc.put("OomScoreAdj", oomScoreAdj);
        if (cpusetCpus != null) hc.put("CpusetCpus", cpusetCpus);
        if (cpusetMems != null) hc.put("CpusetMems", cpusetMems);
        if (cpuPeriod != null) hc.put("CpuPeriod", cpuPeriod);
        if (cpuQuota != null) hc.put("CpuQuota", cpuQuota);
        if (cpuRtPeriod != null) hc.put("CpuRealtimePeriod", cpuRtPeriod);
        if (cpuRtRuntime != null) hc.put("CpuRealtimeRuntime", cpuRtRuntime);
        if (blkioWeight != null) hc.put("BlkioWeight", blkioWeight);
        throttles(hc, "BlkioDeviceReadBps", deviceReadBps, true);
        throttles(hc, "BlkioDeviceWriteBps", deviceWriteBps, true);
        throttles(hc, "BlkioDeviceReadIOps", deviceReadIops, false);
        throttles(hc, "BlkioDeviceWriteIOps", deviceWriteIops, false);
        if (!sysctls.isEmpty()) {
            ObjectNode map = hc.putObject("Sysctls");
            for (String kv : sysctls) {
                int eq = kv.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException("invalid argument \"" + kv + "\" for \"--sysctl\" flag: not name=value");
                map.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
    }

    /** DEVICE:RATE, a size (1mb) for bytes per second, a plain number for operations per second. */
    static void throttles(ObjectNode hc, String field, List<String> specs, boolean bytes) {
        if (specs.isEmpty()) return;
        ArrayNode list = hc.putArray(field);
        for (String spec : specs) {
            int colon = spec.lastIndexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("bad format: " + spec);
            String path = spec.substring(0, colon);
            if (!path.startsWith("/dev/")) throw new IllegalArgumentException("bad format for device path: " + spec);
            String rate = spec.substring(colon + 1);
            long value;
            try {
                value = bytes ? MemorySize.parse(rate) : Long.parseLong(rate);
            } catch (IllegalArgumentException e) {
                value = -1;
            }
            if (value < 0) {
                throw new IllegalArgumentException("invalid rate for device: " + spec + ". The correct format is <device-path>:<number>"
                        + (bytes ? "[<unit>]. Number must be a positive integer. Unit is optional and can be kb, mb, or gb"
                        : ". Number must be a positive integer"));
            }
            list.addObject().put("Path", path).put("Rate", value);
        }
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

    public String cidFile() {
        return cidFile;
    }

}
