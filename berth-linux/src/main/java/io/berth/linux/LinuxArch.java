package io.berth.linux;

import java.util.Optional;

/**
 * The CPU architectures whose C struct layouts berth-linux knows. A layout that differs by architecture (epoll's
 * event is packed on x86-64 only) is chosen from {@link #current()}; on any other architecture the calls would
 * read and write the wrong bytes, so berthd asks {@link #unavailabilityCause()} at start and refuses to run.
 */
public enum LinuxArch {
    X86_64("amd64", "x86_64"),
    AARCH64("arm64", "aarch64");

    private final String goName;
    private final String machine;

    LinuxArch(String goName, String machine) {
        this.goName = goName;
        this.machine = machine;
    }

    /** The name Go (and so Docker's API, OCI image platforms) uses: "amd64", "arm64". */
    public String goName() {
        return goName;
    }

    /** The name uname(2) gives: "x86_64", "aarch64" (Docker's info shows it as Architecture). */
    public String machine() {
        return machine;
    }

    /** The architecture a JVM's {@code os.arch} names, if berth knows it. */
    public static Optional<LinuxArch> fromJava(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> Optional.of(X86_64);
            case "aarch64", "arm64" -> Optional.of(AARCH64);
            default -> Optional.empty();
        };
    }

    /** Why berth-linux cannot run here (another OS, an unknown architecture), or empty when it can. */
    public static Optional<String> unavailabilityCause() {
        String os = System.getProperty("os.name", "");
        if (!os.equals("Linux")) return Optional.of("berth needs Linux, not " + os);
        String arch = System.getProperty("os.arch", "");
        if (fromJava(arch).isEmpty()) {
            return Optional.of("unsupported architecture " + arch + ": berth knows the struct layouts of x86_64 and aarch64 only");
        }
        return Optional.empty();
    }

    public static boolean isAvailable() {
        return unavailabilityCause().isEmpty();
    }

    /** This machine's architecture; fails, naming it, on one berth does not know. */
    public static LinuxArch current() {
        String arch = System.getProperty("os.arch", "");
        return fromJava(arch).orElseThrow(() -> new UnsupportedOperationException(
                "unsupported architecture " + arch + ": berth knows the struct layouts of x86_64 and aarch64 only"));
    }
}
