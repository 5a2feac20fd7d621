package io.berth.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** The platform an image runs on, as in an image index entry. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Platform(
        @JsonProperty("architecture") String architecture,
        @JsonProperty("os") String os,
        @JsonProperty("os.version") String osVersion,
        @JsonProperty("os.features") List<String> osFeatures,
        @JsonProperty("variant") String variant) {

    public static Platform of(String os, String architecture) {
        return new Platform(architecture, os, null, null, null);
    }

    /** The platform of the machine berth runs on, in Go's GOARCH names. */
    public static Platform host() {
        return of("linux", goArch(System.getProperty("os.arch")));
    }

    /** Maps a Java {@code os.arch} value to the name OCI/Go uses. */
    public static String goArch(String javaArch) {
        return switch (javaArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> javaArch;
        };
    }

    /**
     * A platform as Docker's {@code --platform} takes it: {@code os/arch[/variant]}, or an architecture or an OS alone
     * (the other part from this machine); architecture aliases normalized as containerd does (x86_64 is amd64,
     * aarch64 and arm64/v8 are arm64, armhf is arm/v7).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Platform parse(String spec) {
        String[] parts = spec.trim().toLowerCase(java.util.Locale.ROOT).split("/", -1);
        for (String part : parts) {
            if (part.isEmpty() || !part.matches("[a-z0-9_.-]+")) {
                throw new IllegalArgumentException("invalid platform \"" + spec + "\": expected os/arch[/variant]");
            }
        }
        Platform host = host();
        return switch (parts.length) {
            case 1 -> KNOWN_OS.contains(parts[0]) ? normalized(parts[0], host.architecture(), null)
                    : normalized("linux", parts[0], null);
            case 2 -> normalized(parts[0], parts[1], null);
            case 3 -> normalized(parts[0], parts[1], parts[2]);
            default -> throw new IllegalArgumentException("invalid platform \"" + spec + "\": expected os/arch[/variant]");
        };
    }

    private static final java.util.Set<String> KNOWN_OS = java.util.Set.of("linux", "windows", "darwin", "freebsd");

    private static Platform normalized(String os, String arch, String variant) {
        String a = switch (arch) {
            case "x86_64", "x86-64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "armhf" -> "arm";
            case "armel" -> "arm";
            case "i386", "i686", "x86", "386" -> "386";
            default -> arch;
        };
        String v = variant;
        if (arch.equals("armhf") && v == null) v = "v7";
        if (arch.equals("armel") && v == null) v = "v6";
        if (a.equals("arm64") && "v8".equals(v)) v = null;
        if (a.equals("arm") && v == null) v = "v7";
        return new Platform(a, os, null, null, v);
    }

    /** {@code os/arch[/variant]}, as Docker prints a platform. */
    public String format() {
        return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
    }

    /**
     * Whether an image of platform {@code image} (its config's os, architecture and variant) is what this platform
     * asks for: same OS and architecture, and the variant when both name one.
     */
    public boolean accepts(Platform image) {
        Platform other = normalized(image.os() == null ? "linux" : image.os(),
                image.architecture() == null ? "" : image.architecture(), blankToNull(image.variant()));
        Platform self = normalized(os, architecture, blankToNull(variant));
        return self.os.equals(other.os) && self.architecture.equals(other.architecture)
                && (self.variant == null || other.variant == null || self.variant.equals(other.variant));
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
