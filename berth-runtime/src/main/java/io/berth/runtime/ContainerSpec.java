package io.berth.runtime;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything berth needs to run one container, as the daemon resolved it from a Docker create request: who the
 * container is (id, name, image, labels, rootfs layers) and its settings in named parts. A new setting goes into
 * its part and the {@link Builder}; callers that do not use it do not change. Build one with {@link #builder}.
 *
 * <pre>
 * ContainerSpec
 *   id, name, image, imageId, labels, rootfs, created   identity
 *   process     argv, env, cwd, user, added groups, stdio, init, stop signal/timeout
 *   security    privileged, read-only rootfs, capabilities, no_new_privs, seccomp, devices
 *   namespaces  pid, ipc, uts, cgroup: the container's own, the host's or another container's
 *   resources   cgroup limits
 *   mounts      binds, volumes, tmpfs
 *   network     hostname, mode, attached networks, published ports, DNS, extra hosts
 *   lifecycle   restart policy, auto-remove, OCI runtime, healthcheck, logging driver
 *   extra       the daemon's own data, opaque here
 * </pre>
 *
 * @param id 64 lowercase hex characters
 * @param name without or with a leading "/"; empty lets berth pick one
 * @param image the image reference as the user typed it
 * @param imageId "sha256:..."
 * @param extra opaque to berth-runtime: the daemon keeps the Docker create body here for inspect
 */
public record ContainerSpec(
        String id, String name, String image, String imageId, Map<String, String> labels, RootfsLayers rootfs,
        Instant created, ProcessSpec process, SecuritySpec security, Resources resources, MountsSpec mounts,
        NetworkSpec network, NamespacesSpec namespaces, LifecycleSpec lifecycle, Map<String, Object> extra) {

    public ContainerSpec {
        image = image == null ? "" : image;
        imageId = imageId == null ? "" : imageId;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        process = process == null ? new ProcessSpec(null, null, null, null, false, false, false, null, null, null, false, null) : process;
        security = security == null ? SecuritySpec.DEFAULT : security;
        resources = resources == null ? Resources.UNLIMITED : resources;
        mounts = mounts == null ? MountsSpec.NONE : mounts;
        network = network == null ? NetworkSpec.DEFAULT : network;
        lifecycle = lifecycle == null ? LifecycleSpec.DEFAULT : lifecycle;
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
        namespaces = namespaces == null ? NamespacesSpec.DEFAULT : namespaces;
    }

    /** A spec with berth's defaults: no limits, builtin seccomp, no restart, the daemon's default runtime. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A builder that starts from this spec. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    ContainerSpec withName(String newName) {
        return new ContainerSpec(id, newName, image, imageId, labels, rootfs, created, process, security, resources, mounts,
                network, namespaces, lifecycle, extra);
    }

    /** Sets only what a caller uses; everything else keeps its default. One setter per setting, grouped by part. */
    public static final class Builder {
        private String id;
        private String name = "";
        private String image = "";
        private String imageId = "";
        private Map<String, String> labels = Map.of();
        private RootfsLayers rootfs;
        private Instant created;
        private Map<String, Object> extra = Map.of();

        private List<String> args = List.of();
        private List<String> env = List.of();
        private String workingDir = "";
        private String user = "";
        private boolean tty;
        private boolean openStdin;
        private boolean keepStdinOpen;
        private ProcessSpec.ConsoleSize consoleSize;
        private boolean init;
        private String stopSignal;
        private Integer stopTimeoutSeconds;
        private List<String> groupAdd = List.of();

        private boolean privileged;
        private boolean readOnlyRootfs;
        private List<String> capAdd = List.of();
        private List<String> capDrop = List.of();
        private boolean noNewPrivileges;
        private SeccompSetting seccomp = SeccompSetting.BUILTIN;
        private List<DeviceMapping> devices = List.of();
        private List<String> deviceCgroupRules = List.of();
        private NamespacesSpec namespaces = NamespacesSpec.DEFAULT;

        private Resources resources = Resources.UNLIMITED;
        private MountsSpec mounts = MountsSpec.NONE;
        private NetworkSpec network = NetworkSpec.DEFAULT;

        private RestartPolicy restartPolicy = RestartPolicy.NONE;
        private boolean autoRemove;
        private String runtime;
        private io.berth.runtime.health.HealthConfig healthcheck;
        private List<String> shell = List.of();
        private LogSettings log;

        private Builder(String id) {
            this.id = id;
        }

        private Builder(ContainerSpec s) {
            this(s.id());
            name(s.name()).image(s.image()).imageId(s.imageId()).labels(s.labels()).rootfs(s.rootfs()).created(s.created())
                    .extra(s.extra()).process(s.process()).security(s.security()).resources(s.resources()).mounts(s.mounts())
                    .network(s.network()).lifecycle(s.lifecycle()).namespaces(s.namespaces());
        }

        public Builder id(String v) { id = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder image(String v) { image = v; return this; }
        public Builder imageId(String v) { imageId = v; return this; }
        public Builder labels(Map<String, String> v) { labels = v; return this; }
        public Builder rootfs(RootfsLayers v) { rootfs = v; return this; }
        public Builder created(Instant v) { created = v; return this; }
        public Builder extra(Map<String, Object> v) { extra = v; return this; }

        public Builder args(List<String> v) { args = v; return this; }
        public Builder env(List<String> v) { env = v; return this; }
        public Builder workingDir(String v) { workingDir = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder tty(boolean v) { tty = v; return this; }
        public Builder openStdin(boolean v) { openStdin = v; return this; }
        public Builder keepStdinOpen(boolean v) { keepStdinOpen = v; return this; }
        public Builder consoleSize(ProcessSpec.ConsoleSize v) { consoleSize = v; return this; }
        public Builder init(boolean v) { init = v; return this; }
        public Builder stopSignal(String v) { stopSignal = v; return this; }
        public Builder stopTimeoutSeconds(Integer v) { stopTimeoutSeconds = v; return this; }
        public Builder groupAdd(List<String> v) { groupAdd = v; return this; }

        public Builder process(ProcessSpec p) {
            return args(p.args()).env(p.env()).workingDir(p.workingDir()).user(p.user()).tty(p.tty())
                    .openStdin(p.openStdin()).init(p.init()).stopSignal(p.stopSignal()).stopTimeoutSeconds(p.stopTimeoutSeconds()).groupAdd(p.groupAdd()).keepStdinOpen(p.keepStdinOpen())
                    .consoleSize(p.consoleSize());
        }

        public Builder privileged(boolean v) { privileged = v; return this; }
        public Builder readOnlyRootfs(boolean v) { readOnlyRootfs = v; return this; }
        public Builder capAdd(List<String> v) { capAdd = v; return this; }
        public Builder capDrop(List<String> v) { capDrop = v; return this; }
        public Builder noNewPrivileges(boolean v) { noNewPrivileges = v; return this; }
        public Builder seccomp(SeccompSetting v) { seccomp = v; return this; }
        public Builder devices(List<DeviceMapping> v) { devices = v; return this; }
        public Builder deviceCgroupRules(List<String> v) { deviceCgroupRules = v; return this; }
        public Builder namespaces(NamespacesSpec v) { namespaces = v; return this; }

        public Builder security(SecuritySpec s) {
            return privileged(s.privileged()).readOnlyRootfs(s.readOnlyRootfs()).capAdd(s.capAdd()).capDrop(s.capDrop())
                    .noNewPrivileges(s.noNewPrivileges()).seccomp(s.seccomp())
                    .devices(s.devices()).deviceCgroupRules(s.deviceCgroupRules());
        }

        public Builder resources(Resources v) { resources = v; return this; }
        public Builder mounts(MountsSpec v) { mounts = v; return this; }

        public Builder hostname(String v) { network = network.withHostname(v); return this; }
        public Builder network(NetworkSpec n) { network = n; return this; }

        public Builder restartPolicy(RestartPolicy v) { restartPolicy = v; return this; }
        public Builder autoRemove(boolean v) { autoRemove = v; return this; }
        public Builder runtime(String v) { runtime = v; return this; }
        public Builder healthcheck(io.berth.runtime.health.HealthConfig v) { healthcheck = v; return this; }
        public Builder shell(List<String> v) { shell = v; return this; }
        public Builder log(LogSettings v) { log = v; return this; }

        public Builder lifecycle(LifecycleSpec l) {
            return restartPolicy(l.restartPolicy()).autoRemove(l.autoRemove()).runtime(l.runtime()).healthcheck(l.healthcheck()).shell(l.shell())
                    .log(l.log());
        }

        public ContainerSpec build() {
            return new ContainerSpec(id, name, image, imageId, labels, rootfs, created,
                    new ProcessSpec(args, env, workingDir, user, tty, openStdin, init, stopSignal, stopTimeoutSeconds, groupAdd, keepStdinOpen, consoleSize),
                    new SecuritySpec(privileged, readOnlyRootfs, capAdd, capDrop, noNewPrivileges, seccomp, devices, deviceCgroupRules),
                    resources, mounts, network, namespaces,
                    new LifecycleSpec(restartPolicy, autoRemove, runtime, healthcheck, shell, log), extra);
        }
    }
}
