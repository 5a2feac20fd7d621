package io.berth.runtime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.linux.LinuxArch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the OCI runtime spec (bundle/config.json) for a container with Docker's defaults: namespaces,
 * mounts, capabilities, masked and read-only paths, device rules, seccomp, rlimits within the host's
 * hard limits, cgroup resources. Pure: the caller supplies the resolved user and host facts.
 */
final class OciConfig {
    /** The most pids Linux can ever have (4 Mi, include/linux/threads.h): a pids limit this high is no limit. */
    static final long PID_MAX_LIMIT = 4L * 1024 * 1024;
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final String INIT_PATH_IN_CONTAINER = "/sbin/docker-init";
    private static final long CPU_PERIOD = 100_000;
    private static final List<String> MASKED_PATHS = List.of(
            "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
            "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap");
    private static final List<String> READONLY_PATHS = List.of(
            "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    /** Host facts the config depends on, gathered once by the caller. */
    record Host(long nofileHard, long capBounding, boolean cgroupV2, Path initBinary, LinuxArch arch,
                DockerSeccompProfile.KernelVersion kernel) {
        static Host current(Path initBinary) {
            return new Host(HostFacts.nofileHardLimit(), HostFacts.boundingSet(), HostFacts.cgroupV2(), initBinary,
                    LinuxArch.current(), DockerSeccompProfile.KernelVersion.parse(System.getProperty("os.version")));
        }
    }

    private OciConfig() {}

    static String cgroupsPath(String id) {
        return "/berth/" + id;
    }

    static List<String> processArgs(ContainerSpec spec) {
        List<String> args = new ArrayList<>();
        if (spec.process().init()) {
            args.add(INIT_PATH_IN_CONTAINER);
            args.add("--");
        }
        args.addAll(spec.process().args());
        return args;
    }

    /**
     * A process's environment as Docker makes it: PATH, HOSTNAME and (with a TTY) TERM, each replaced by the container's
     * entry of that name; an entry without "=" unsets the default of that name and sets nothing; a later entry of a
     * name wins. HOME, when none is given, is the user's home (as runc adds it).
     */
    static List<String> processEnv(List<String> env, String hostname, boolean tty, String home) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("PATH", "PATH=" + DEFAULT_PATH);
        out.put("HOSTNAME", "HOSTNAME=" + hostname);
        if (tty) out.put("TERM", "TERM=xterm");
        for (String e : env) {
            int eq = e.indexOf('=');
            if (eq < 0) out.remove(e);
            else out.put(e.substring(0, eq), e);
        }
        if (home != null && !out.containsKey("HOME")) out.put("HOME", "HOME=" + home);
        return List.copyOf(out.values());
    }

    /** The steps' variables first, each one the container's own env names dropped: the container's value wins. */
    static List<String> withStepEnv(List<String> stepEnv, List<String> env) {
        if (stepEnv.isEmpty()) return env;
        java.util.Set<String> own = new java.util.HashSet<>();
        for (String e : env) own.add(e.contains("=") ? e.substring(0, e.indexOf('=')) : e);
        List<String> out = new ArrayList<>();
        for (String e : stepEnv) if (!own.contains(e.substring(0, e.indexOf('=')))) out.add(e);
        out.addAll(env);
        return out;
    }

    static String hostname(ContainerSpec spec) {
        return spec.network().hostname().isEmpty() ? spec.id().substring(0, 12) : spec.network().hostname();
    }

    static ObjectNode build(ContainerSpec spec, ContainerPaths paths, ResolvedUser user, Host host) {
        return build(spec, paths, user, host, new StepRun(null));
    }

    /** @param run what the setup steps decided for the runtime: the network namespace to join, or the host's */
    static ObjectNode build(ContainerSpec spec, ContainerPaths paths, ResolvedUser user, Host host, StepRun run) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("ociVersion", "1.0.2");
        String hostname = hostname(spec);
        ProcessSpec mainProcess = spec.process();
        SecuritySpec security = spec.security();
        List<String> caps = Capabilities.compute(security.privileged(), security.capAdd(), security.capDrop(), host.capBounding());

        root.set("process", process(f, mainProcess.tty(), mainProcess.consoleSize(), processArgs(spec),
                processEnv(withStepEnv(run.env(), mainProcess.env()), hostname, mainProcess.tty(), user.home()),
                mainProcess.workingDir().isEmpty() ? "/" : mainProcess.workingDir(), user, caps, security.noNewPrivileges(),
                spec.resources().process(), host));

        ObjectNode rootfs = root.putObject("root");
        rootfs.put("path", paths.mergedDir().toString());
        rootfs.put("readonly", security.readOnlyRootfs());
        // sharing the host's UTS namespace, the container keeps the host's name (the runtime cannot set one)
        if (!spec.namespaces().uts().equals(NamespacesSpec.HOST)) root.put("hostname", hostname);

        ArrayNode mounts = root.putArray("mounts");
        mount(mounts, "/proc", "proc", "proc", "nosuid", "noexec", "nodev");
        mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        mount(mounts, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5");
        mount(mounts, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", security.privileged() ? "rw" : "ro");
        mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", security.privileged() ? "rw" : "ro");
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
        mount(mounts, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777",
                "size=" + spec.resources().process().shmSize());
        mount(mounts, "/etc/resolv.conf", "bind", paths.resolvConfFile().toString(), "rbind", "rprivate");
        mount(mounts, "/etc/hostname", "bind", paths.hostnameFile().toString(), "rbind", "rprivate");
        mount(mounts, "/etc/hosts", "bind", paths.hostsFile().toString(), "rbind", "rprivate");
        if (mainProcess.init()) {
            mount(mounts, INIT_PATH_IN_CONTAINER, "bind", host.initBinary().toString(), "bind", "ro", "nosuid", "nodev");
        }
        devShm(mounts, spec.namespaces().ipc(), run);
        userMounts(mounts, spec.mounts());

        ObjectNode linux = root.putObject("linux");
        linux.put("cgroupsPath", cgroupsPath(spec.id()));
        linux.set("namespaces", namespaces(spec.namespaces(), run, host.cgroupV2()));
        ObjectNode resources = resources(f, spec.resources(), security.privileged());
        linux.set("resources", resources);
        devices(linux, (ArrayNode) resources.get("devices"), security, run);
        if (!spec.resources().process().sysctls().isEmpty()) {
            ObjectNode sysctl = linux.putObject("sysctl");
            new java.util.TreeMap<>(spec.resources().process().sysctls()).forEach(sysctl::put);
        }
        if (!security.privileged()) {
            ArrayNode masked = linux.putArray("maskedPaths");
            MASKED_PATHS.forEach(masked::add);
            ArrayNode ro = linux.putArray("readonlyPaths");
            READONLY_PATHS.forEach(ro::add);
            ObjectNode seccomp = seccomp(security.seccomp(), caps, host);
            if (seccomp != null) linux.set("seccomp", seccomp);
        }
        return root;
    }

    /**
     * linux.namespaces: each of the container's own, but those it shares with the host (absent from the list) and
     * those of another container it joins (with that one's path, found by the run's steps).
     */
    static ArrayNode namespaces(NamespacesSpec modes, StepRun run, boolean cgroupV2) {
        ArrayNode ns = JsonNodeFactory.instance.arrayNode();
        for (String type : List.of("pid", "network", "ipc", "uts", "mount", "cgroup")) {
            String mode = switch (type) {
                case "pid" -> modes.pid();
                case "ipc" -> modes.ipc();
                case "uts" -> modes.uts();
                case "network" -> run.hostNetwork() ? NamespacesSpec.HOST : "";
                case "cgroup" -> modes.privateCgroup(cgroupV2) ? NamespacesSpec.PRIVATE : NamespacesSpec.HOST;
                default -> "";
            };
            if (mode.equals(NamespacesSpec.HOST)) continue;
            ObjectNode entry = ns.addObject().put("type", type);
            run.joinedNamespace(type).ifPresent(path -> entry.put("path", path.toString()));
            if (!NamespacesSpec.joinedContainer(mode).isEmpty() && !entry.has("path")) {
                throw new IllegalStateException("no " + type + " namespace of container " + NamespacesSpec.joinedContainer(mode) + " to join");
            }
        }
        return ns;
    }

    /**
     * /dev/shm by IPC mode: berth's own tmpfs (private), none, the host's, the tmpfs made on the host for a
     * shareable one, or the /dev/shm of the container whose IPC namespace it joins.
     */
    private static void devShm(ArrayNode mounts, String ipcMode, StepRun run) {
        if (ipcMode.equals(NamespacesSpec.PRIVATE) || ipcMode.equals(NamespacesSpec.SHAREABLE) && run.sharedDevShm().isEmpty()) return;
        for (int i = mounts.size() - 1; i >= 0; i--) {
            if (mounts.get(i).path("destination").asText().equals("/dev/shm")) mounts.remove(i);
        }
        if (ipcMode.equals(NamespacesSpec.HOST)) {
            mount(mounts, "/dev/shm", "bind", "/dev/shm", "rbind", "rprivate");
        } else if (ipcMode.equals(NamespacesSpec.SHAREABLE) || !NamespacesSpec.joinedContainer(ipcMode).isEmpty()) {
            Path shared = run.sharedDevShm().orElseThrow(() -> new IllegalStateException("no /dev/shm to share for " + ipcMode));
            mount(mounts, "/dev/shm", "bind", shared.toString(), "rbind", "rprivate");
        }
    }

    /**
     * linux.devices (the host's nodes the steps found: every one when privileged, the --device ones otherwise) and,
     * unless privileged (every device is allowed then), the devices cgroup rules for them and --device-cgroup-rule's.
     */
    private static void devices(ObjectNode linux, ArrayNode cgroupRules, SecuritySpec security, StepRun run) {
        if (!run.devices().isEmpty()) {
            ArrayNode devices = linux.putArray("devices");
            for (HostDevices.LinuxDevice d : run.devices()) {
                devices.addObject().put("path", d.path()).put("type", d.type()).put("major", d.major()).put("minor", d.minor())
                        .put("fileMode", d.fileMode()).put("uid", d.uid()).put("gid", d.gid());
            }
        }
        if (security.privileged()) return;
        List<DeviceCgroupRule> rules = new ArrayList<>(run.deviceRules());
        security.deviceCgroupRules().forEach(r -> rules.add(DeviceCgroupRule.parse(r)));
        for (DeviceCgroupRule r : rules) device(cgroupRules, r.type(), r.major(), r.minor(), r.access());
    }

    /** The filter for a non-privileged container: berth's default, none, or the container's own profile. */
    static ObjectNode seccomp(SeccompSetting setting, List<String> caps, Host host) {
        return switch (setting.kind()) {
            case BUILTIN -> SeccompProfile.build(caps, host.arch());
            case UNCONFINED -> null;
            case PROFILE -> DockerSeccompProfile.parse(setting.profile()).toOci(
                    new DockerSeccompProfile.Target(host.arch(), caps, host.kernel()));
        };
    }

    private static ObjectNode process(JsonNodeFactory f, boolean tty, ProcessSpec.ConsoleSize size, List<String> args,
                                      List<String> env, String cwd, ResolvedUser user, List<String> caps,
                                      boolean noNewPrivileges, Resources.ProcessLimits limits, Host host) {
        ObjectNode p = f.objectNode();
        p.put("terminal", tty);
        // the runtime sizes the pty before the process runs, so its first look at the terminal (stty size, a
        // shell's prompt) sees the client's size and not 0x0 until the client's resize arrives
        if (tty && size != null) p.putObject("consoleSize").put("height", size.rows()).put("width", size.cols());
        ObjectNode u = p.putObject("user");
        u.put("uid", user.uid());
        u.put("gid", user.gid());
        if (!user.additionalGids().isEmpty()) {
            ArrayNode g = u.putArray("additionalGids");
            user.additionalGids().forEach(g::add);
        }
        ArrayNode a = p.putArray("args");
        args.forEach(a::add);
        ArrayNode e = p.putArray("env");
        env.forEach(e::add);
        p.put("cwd", cwd);
        ObjectNode c = p.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            ArrayNode arr = c.putArray(set);
            caps.forEach(arr::add);
        }
        ArrayNode rl = p.putArray("rlimits");
        if (limits.ulimits().stream().noneMatch(l -> l.name().equals("nofile"))) {
            long nofile = Math.min(1048576, host.nofileHard());
            rl.addObject().put("type", "RLIMIT_NOFILE").put("hard", nofile).put("soft", nofile);
        }
        for (Resources.Ulimit l : limits.ulimits()) {
            rl.addObject().put("type", "RLIMIT_" + l.name().toUpperCase(java.util.Locale.ROOT))
                    .put("hard", rlimit(l.hard())).put("soft", rlimit(l.soft()));
        }
        p.put("noNewPrivileges", noNewPrivileges);
        p.put("oomScoreAdj", limits.oomScoreAdj());
        return p;
    }

    /** An rlimit as the runtime reads it, an unsigned 64-bit number: Docker's -1 is RLIM_INFINITY. */
    private static java.math.BigInteger rlimit(long value) {
        return value == -1 ? java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.ONE) : java.math.BigInteger.valueOf(value);
    }

    /** The process spec for `crun exec --process`: same user/caps rules, the container's env plus the exec's. */
    static ObjectNode execProcess(ContainerSpec spec, ExecSpec exec, ResolvedUser user, Host host) {
        return execProcess(spec, exec, user, host, List.of());
    }

    /** @param stepEnv what the start's steps added to the main process's env (link variables): an exec gets them too */
    static ObjectNode execProcess(ContainerSpec spec, ExecSpec exec, ResolvedUser user, Host host, List<String> stepEnv) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        SecuritySpec security = spec.security();
        String workingDir = spec.process().workingDir();
        List<String> env = new ArrayList<>(withStepEnv(stepEnv, spec.process().env()));
        for (String e : exec.env()) {
            String key = e.contains("=") ? e.substring(0, e.indexOf('=') + 1) : e + "=";
            env.removeIf(x -> x.startsWith(key));
            env.add(e);
        }
        boolean privileged = security.privileged() || exec.privileged();
        List<String> caps = Capabilities.compute(privileged, security.capAdd(), security.capDrop(), host.capBounding());
        String cwd = exec.workingDir().isEmpty() ? (workingDir.isEmpty() ? "/" : workingDir) : exec.workingDir();
        ObjectNode p = process(f, exec.tty(), null, exec.args(), processEnv(env, hostname(spec), exec.tty(), user.home()), cwd,
                user, caps, security.noNewPrivileges(), spec.resources().process(), host);
        return p;
    }

    private static ObjectNode resources(JsonNodeFactory f, Resources r, boolean privileged) {
        ObjectNode res = f.objectNode();
        ArrayNode devices = res.putArray("devices");
        if (privileged) {
            devices.addObject().put("allow", true).put("access", "rwm");
        } else {
            devices.addObject().put("allow", false).put("access", "rwm");
            device(devices, "c", null, null, "m");
            device(devices, "b", null, null, "m");
            device(devices, "c", 1L, 3L, "rwm");   // null
            device(devices, "c", 1L, 5L, "rwm");   // zero
            device(devices, "c", 1L, 7L, "rwm");   // full
            device(devices, "c", 1L, 8L, "rwm");   // random
            device(devices, "c", 1L, 9L, "rwm");   // urandom
            device(devices, "c", 5L, 0L, "rwm");   // tty
            device(devices, "c", 5L, 1L, "rwm");   // console
            device(devices, "c", 5L, 2L, "rwm");   // ptmx
            device(devices, "c", 136L, null, "rwm"); // pts/*
            device(devices, "c", 10L, 200L, "rwm"); // net/tun
        }
        ObjectNode memory = f.objectNode();
        if (r.memoryBytes() > 0) {
            // swap = memory unless MemorySwap says more: the container cannot escape its limit into swap,
            // so the OOM killer acts.
            memory.put("limit", r.memoryBytes()).put("swap", r.swapLimit());
        }
        if (r.memoryReservationBytes() > 0) memory.put("reservation", r.memoryReservationBytes());
        if (r.memorySwappiness() != null) memory.put("swappiness", r.memorySwappiness());
        if (r.oomKillDisable()) memory.put("disableOOMKiller", true);
        if (!memory.isEmpty()) res.set("memory", memory);
        ObjectNode cpu = f.objectNode();
        Resources.CpuTuning t = r.cpu();
        if (r.nanoCpus() > 0) {
            cpu.put("period", CPU_PERIOD);
            cpu.put("quota", r.nanoCpus() * CPU_PERIOD / 1_000_000_000L);
        }
        if (t.period() != 0) cpu.put("period", t.period());
        if (t.quota() != 0) cpu.put("quota", t.quota());
        if (r.cpuShares() > 0) cpu.put("shares", r.cpuShares());
        if (t.realtimePeriod() != 0) cpu.put("realtimePeriod", t.realtimePeriod());
        if (t.realtimeRuntime() != 0) cpu.put("realtimeRuntime", t.realtimeRuntime());
        if (!t.cpusetCpus().isEmpty()) cpu.put("cpus", t.cpusetCpus());
        if (!t.cpusetMems().isEmpty()) cpu.put("mems", t.cpusetMems());
        if (!cpu.isEmpty()) res.set("cpu", cpu);
        ObjectNode blockIo = f.objectNode();
        Resources.BlockIo b = r.blockIo();
        if (b.weight() > 0) blockIo.put("weight", b.weight());
        throttles(blockIo, "throttleReadBpsDevice", b.readBps());
        throttles(blockIo, "throttleWriteBpsDevice", b.writeBps());
        throttles(blockIo, "throttleReadIOPSDevice", b.readIops());
        throttles(blockIo, "throttleWriteIOPSDevice", b.writeIops());
        if (!blockIo.isEmpty()) res.set("blockIO", blockIo);
        if (r.pidsLimit() > 0) res.putObject("pids").put("limit", r.pidsLimit());
        return res;
    }

    /**
     * linux.resources for the runtime's {@code update} of a running container: the limits as a start writes them,
     * without the device rules (they stay as started). A pids limit is always written, unlimited as the kernel's
     * own ceiling on pids (PID_MAX_LIMIT): crun skips 0 and the kernel refuses -1, so that is the only way to
     * lift a limit. Memory and CPU limits cannot be lifted by an update (Docker takes 0 as "unchanged").
     */
    static ObjectNode updateResources(Resources r) {
        ObjectNode res = resources(JsonNodeFactory.instance, r, false);
        res.remove("devices");
        res.putObject("pids").put("limit", r.pidsLimit() > 0 ? r.pidsLimit() : PID_MAX_LIMIT);
        return res;
    }

    private static void throttles(ObjectNode blockIo, String field, List<Resources.ThrottleDevice> devices) {
        if (devices.isEmpty()) return;
        ArrayNode list = blockIo.putArray(field);
        devices.forEach(d -> list.addObject().put("major", d.major()).put("minor", d.minor()).put("rate", d.rate()));
    }

    private static void device(ArrayNode devices, String type, Long major, Long minor, String access) {
        ObjectNode d = devices.addObject().put("allow", true).put("type", type);
        if (major != null) d.put("major", major);
        if (minor != null) d.put("minor", minor);
        d.put("access", access);
    }

    /**
     * The user's binds and tmpfs mounts, after berth's own: one of them on a destination berth mounts too (/dev/shm,
     * /etc/hosts) replaces berth's, as in Docker. Parents are mounted before children. The runtime resolves each
     * destination inside the rootfs, symlinks in the image included (crun: openat2 RESOLVE_IN_ROOT).
     */
    static void userMounts(ArrayNode mounts, MountsSpec spec) {
        if (spec.mounts().isEmpty()) return;
        java.util.Set<String> taken = new java.util.HashSet<>();
        spec.mounts().forEach(m -> taken.add(m.destination()));
        for (int i = mounts.size() - 1; i >= 0; i--) {
            if (taken.contains(mounts.get(i).path("destination").asText())) mounts.remove(i);
        }
        List<MountPoint> ordered = new ArrayList<>(spec.mounts());
        ordered.sort(java.util.Comparator.comparingLong(m -> m.destination().chars().filter(c -> c == '/').count()));
        for (MountPoint m : ordered) {
            List<String> options = new ArrayList<>();
            switch (m.kind()) {
                case BIND, VOLUME -> {
                    options.add("rbind");
                    options.add(m.readOnly() ? "ro" : "rw");
                    options.add(m.propagation().isEmpty() ? "rprivate" : m.propagation());
                    mount(mounts, m.destination(), "bind", m.source(), options.toArray(String[]::new));
                }
                case TMPFS -> {
                    options.addAll(TmpfsOptions.merge(m.tmpfsOptions(), m.readOnly()));
                    mount(mounts, m.destination(), "tmpfs", "tmpfs", options.toArray(String[]::new));
                }
            }
        }
    }

    private static void mount(ArrayNode mounts, String dest, String type, String source, String... options) {
        ObjectNode m = mounts.addObject();
        m.put("destination", dest);
        m.put("type", type);
        m.put("source", source);
        ArrayNode o = m.putArray("options");
        for (String opt : options) o.add(opt);
    }
}
