package io.berth.runtime;

/**
 * Which of its namespaces the container shares with the host or another container instead of getting its own
 * (the network namespace is {@link NetworkSpec}'s; the mount namespace is always its own).
 *
 * <pre>
 * pid     ""               its own: its first process is pid 1
 *         "host"           the host's: it sees every process
 *         "container:ID"   a running container's (ID is the full id, resolved at create)
 * ipc     "private"        its own, /dev/shm its own tmpfs ("" reads as private)
 *         "shareable"      the same, and other containers may join it
 *         "none"           its own, without a /dev/shm mount
 *         "host"           the host's, and the host's /dev/shm
 *         "container:ID"   a running container's that is shareable (or host), and that container's /dev/shm
 * uts     ""               its own, named by the container's hostname
 *         "host"           the host's: its hostname is the host's
 * cgroup  "private"        its own: its cgroup is the root of what it sees
 *         "host"           the host's
 *         ""               the default of a container made before berth had the setting: private on cgroup v2,
 *                          host on v1 (Docker's defaults)
 * </pre>
 */
public record NamespacesSpec(String pid, String ipc, String uts, String cgroup) {
    public static final String HOST = "host";
    public static final String PRIVATE = "private";
    public static final String SHAREABLE = "shareable";
    public static final String NONE = "none";
    public static final NamespacesSpec DEFAULT = new NamespacesSpec("", PRIVATE, "", "");

    public NamespacesSpec {
        pid = pid == null ? "" : pid;
        ipc = ipc == null || ipc.isEmpty() ? PRIVATE : ipc;
        uts = uts == null ? "" : uts;
        cgroup = cgroup == null ? "" : cgroup;
    }

    /** The full id of the container a mode ("container:ID") joins, or empty. */
    public static String joinedContainer(String mode) {
        return mode.startsWith(NetworkSpec.CONTAINER_PREFIX) ? mode.substring(NetworkSpec.CONTAINER_PREFIX.length()) : "";
    }

    /** Whether the container gets a cgroup namespace of its own on a host with (or without) cgroup v2. */
    public boolean privateCgroup(boolean cgroupV2) {
        return cgroup.isEmpty() ? cgroupV2 : cgroup.equals(PRIVATE);
    }
}
