package io.berth.runtime;

import java.util.List;

/**
 * What confines the container beyond its namespaces: capabilities, the seccomp filter, no_new_privs, a
 * read-only rootfs and the devices it may use. {@code privileged} lifts all of them (every capability, no filter,
 * rw /sys, every device of the host).
 *
 * @param capAdd capability names as the user wrote them ("NET_ADMIN", "CAP_NET_ADMIN", "ALL")
 * @param seccomp the filter from {@code --security-opt seccomp=…}; null means berth's builtin one
 * @param devices host devices made in the container ({@code --device})
 * @param deviceCgroupRules devices cgroup rules added to the defaults ({@code --device-cgroup-rule 'c 1:3 rwm'}),
 *                          checked by {@link DeviceCgroupRule#parse} at create
 */
public record SecuritySpec(boolean privileged, boolean readOnlyRootfs, List<String> capAdd, List<String> capDrop,
                           boolean noNewPrivileges, SeccompSetting seccomp, List<DeviceMapping> devices,
                           List<String> deviceCgroupRules) {
    /** An unprivileged container with Docker's default capabilities and berth's builtin seccomp profile. */
    public static final SecuritySpec DEFAULT = new SecuritySpec(false, false, List.of(), List.of(), false, null, List.of(), List.of());

    public SecuritySpec {
        capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
        capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
        seccomp = seccomp == null ? SeccompSetting.BUILTIN : seccomp;
        devices = devices == null ? List.of() : List.copyOf(devices);
        deviceCgroupRules = deviceCgroupRules == null ? List.of() : List.copyOf(deviceCgroupRules);
    }
}
