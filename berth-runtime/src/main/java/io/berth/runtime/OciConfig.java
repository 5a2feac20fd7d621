package io.berth.runtime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.linux.LinuxArch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    static List<String> processEnv(List<String> env, String hostname, boolean tty, String home) {
        List<String> out = new ArrayList<>();
        if (env.stream().noneMatch(e -> e.startsWith("PATH="))) out.add("PATH=" + DEFAULT_PATH);
        if (env.stream().noneMatch(e -> e.startsWith("HOSTNAME="))) out.add("HOSTNAME=" + hostname);
        out.addAll(env);
        if (tty && env.stream().noneMatch(e -> e.startsWith("TERM="))) out.add("TERM=xterm");
        if (home != null && env.stream().noneMatch(e -> e.startsWith("HOME="))) out.add("HOME=" + home);
        return out;
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

        root.set("process", process(f, mainProcess.tty(), processArgs(spec),
                processEnv(withStepEnv(run.env(), mainProcess.env()), hostname, mainProcess.tty(), user.home()),
                mainProcess.workingDir().isEmpty() ? "/" : mainProcess.workingDir(), user, caps, security.noNewPrivileges(), host));

        ObjectNode rootfs = root.putObject("root");
        rootfs.put("path", paths.mergedDir().toString());
        rootfs.put("readonly", security.readOnlyRootfs());
        root.put("hostname", hostname);

        ArrayNode mounts = root.putArray("mounts");
        mount(mounts, "/proc", "proc", "proc", "nosuid", "noexec", "nodev");
        mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        mount(mounts, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5");
        mount(mounts, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", security.privileged() ? "rw" : "ro");
        mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", security.privileged() ? "rw" : "ro");
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
        mount(mounts, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=67108864");
        mount(mounts, "/etc/resolv.conf", "bind", paths.resolvConfFile().toString(), "rbind", "rprivate");
        mount(mounts, "/etc/hostname", "bind", paths.hostnameFile().toString(), "rbind", "rprivate");
        mount(mounts, "/etc/hosts", "bind", paths.hostsFile().toString(), "rbind", "rprivate");
        if (mainProcess.init()) {
            mount(mounts, INIT_PATH_IN_CONTAINER, "bind", host.initBinary().toString(), "bind", "ro", "nosuid", "nodev");
        }
        userMounts(mounts, spec.mounts());

        ObjectNode linux = root.putObject("linux");
        linux.put("cgroupsPath", cgroupsPath(spec.id()));
        ArrayNode ns = linux.putArray("namespaces");
        for (String n : host.cgroupV2()
                ? List.of("pid", "network", "ipc", "uts", "mount", "cgroup")
                : List.of("pid", "network", "ipc", "uts", "mount")) {
            if (n.equals("network") && run.hostNetwork()) continue;
            ObjectNode entry = ns.addObject().put("type", n);
            if (n.equals("network")) run.networkNamespace().ifPresent(path -> entry.put("path", path.toString()));
        }
        linux.set("resources", resources(f, spec.resources(), security.privileged()));
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

    /** The filter for a non-privileged container: berth's default, none, or the container's own profile. */
    static ObjectNode seccomp(SeccompSetting setting, List<String> caps, Host host) {
        return switch (setting.kind()) {
            case BUILTIN -> SeccompProfile.build(caps, host.arch());
            case UNCONFINED -> null;
            case PROFILE -> DockerSeccompProfile.parse(setting.profile()).toOci(
                    new DockerSeccompProfile.Target(host.arch(), caps, host.kernel()));
        };
    }

    private static ObjectNode process(JsonNodeFactory f, boolean tty, List<String> args, List<String> env, String cwd,
                                      ResolvedUser user, List<String> caps, boolean noNewPrivileges, Host host) {
        ObjectNode p = f.objectNode();
        p.put("terminal", tty);
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
        long nofile = Math.min(1048576, host.nofileHard());
        rl.addObject().put("type", "RLIMIT_NOFILE").put("hard", nofile).put("soft", nofile);
        p.put("noNewPrivileges", noNewPrivileges);
        p.put("oomScoreAdj", 0);
        return p;
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
        ObjectNode p = process(f, exec.tty(), exec.args(), processEnv(env, hostname(spec), exec.tty(), user.home()), cwd,
                user, caps, security.noNewPrivileges(), host);
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
        if (r.memoryBytes() > 0) {
            // swap = memory unless MemorySwap says more: the container cannot escape its limit into swap,
            // so the OOM killer acts.
            res.putObject("memory").put("limit", r.memoryBytes()).put("swap", r.swapLimit());
        }
        if (r.nanoCpus() > 0 || r.cpuShares() > 0) {
            ObjectNode cpu = res.putObject("cpu");
            if (r.nanoCpus() > 0) {
                cpu.put("period", CPU_PERIOD);
                cpu.put("quota", r.nanoCpus() * CPU_PERIOD / 1_000_000_000L);
            }
            if (r.cpuShares() > 0) cpu.put("shares", r.cpuShares());
        }
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
