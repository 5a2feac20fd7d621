package io.berth.runtime;

import io.berth.oci.errors.InvalidArgumentException;

/**
 * Which seccomp filter a container runs under, from its {@code --security-opt seccomp=…}: berth's builtin
 * profile (no option, or {@code seccomp=builtin}), none ({@code seccomp=unconfined}), or a profile in Docker's
 * format whose JSON the client sent (the docker CLI reads the file and sends its content). A profile is
 * checked when the container is created and turned into config.json's {@code linux.seccomp} at every start,
 * for the container's capabilities and the host's architecture. Privileged containers get no filter at all.
 *
 * @param profile Docker-format JSON for {@link Kind#PROFILE}, otherwise null
 */
public record SeccompSetting(Kind kind, String profile) {
    public enum Kind { BUILTIN, UNCONFINED, PROFILE }

    public static final SeccompSetting BUILTIN = new SeccompSetting(Kind.BUILTIN, null);
    public static final SeccompSetting UNCONFINED = new SeccompSetting(Kind.UNCONFINED, null);

    public SeccompSetting {
        if (kind == null) kind = Kind.BUILTIN;
        if ((kind == Kind.PROFILE) != (profile != null)) {
            throw new IllegalArgumentException("a seccomp profile goes with kind PROFILE only");
        }
    }

    /**
     * The value of a {@code seccomp=VALUE} security option; a profile that is not valid Docker-format JSON is
     * refused here, naming what is wrong.
     */
    public static SeccompSetting parse(String value) {
        return switch (value) {
            case "builtin" -> BUILTIN;
            case "unconfined" -> UNCONFINED;
            case "" -> throw new InvalidArgumentException("invalid --security-opt: \"seccomp=\": a profile is required");
            default -> {
                DockerSeccompProfile.parse(value);
                yield new SeccompSetting(Kind.PROFILE, value);
            }
        };
    }
}
