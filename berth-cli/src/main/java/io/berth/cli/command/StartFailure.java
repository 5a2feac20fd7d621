package io.berth.cli.command;

/** The exit status docker reports when a container's process could not be started. */
public final class StartFailure {

    private StartFailure() {}

    public static int status(String message) {
        String m = message == null ? "" : message;
        if (m.contains("executable file not found") || m.contains("no such file or directory")
                || m.contains("system cannot find the file specified")) {
            return 127;
        }
        if (m.contains("permission denied") || m.contains("is a directory") || m.contains("cannot be invoked")) {
            return 126;
        }
        return 125;
    }
}
