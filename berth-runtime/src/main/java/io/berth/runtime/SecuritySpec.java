package io.berth.runtime;

import java.util.List;

/**
 * What confines the container beyond its namespaces: capabilities, the seccomp filter, no_new_privs and a
 * read-only rootfs. {@code privileged} lifts all of them (every capability, no filter, rw /sys).
 *
 * @param capAdd capability names as the user wrote them ("NET_ADMIN", "CAP_NET_ADMIN", "ALL")
 * @param seccomp the filter from {@code --security-opt seccomp=…}; null means berth's builtin one
 */
public record SecuritySpec(boolean privileged, boolean readOnlyRootfs, List<String> capAdd, List<String> capDrop,
                           boolean noNewPrivileges, SeccompSetting seccomp) {
    /** An unprivileged container with Docker's default capabilities and berth's builtin seccomp profile. */
    public static final SecuritySpec DEFAULT = new SecuritySpec(false, false, List.of(), List.of(), false, null);

    public SecuritySpec {
        capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
        capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
        seccomp = seccomp == null ? SeccompSetting.BUILTIN : seccomp;
    }
}
