package io.berth.runtime;

/**
 * An exec whose process never started (the runtime could not find or execute the command). Docker records exit
 * code 126 for every exec that fails to start, whatever the cause (unlike a container start, where a missing
 * command is 127), and writes the runtime's reason to the exec's output stream in the form
 * {@code OCI runtime exec failed: exec failed: unable to start container process: <reason>: unknown}.
 */
public record ExecStartFailure(String message) {
    public static final int EXIT_CODE = 126;

    private static final String PREFIX = "OCI runtime exec failed: exec failed: unable to start container process: ";

    /** @param runtimeError what the runtime printed (crun: "executable file `x` not found in $PATH: ..."); may be empty */
    static ExecStartFailure of(String command, String runtimeError) {
        // on a terminal the runtime colours its message and puts a time before it
        String err = runtimeError == null ? "" : runtimeError.replaceAll("\u001b\\[[0-9;]*m", "").strip();
        String lower = err.toLowerCase(java.util.Locale.ROOT);
        String reason;
        if (lower.contains("not found") || lower.contains("no such file")) {
            // a command with a slash is not looked up in $PATH: Go's exec reports the failed stat instead
            reason = command.contains("/")
                    ? "exec: \"" + command + "\": stat " + command + ": no such file or directory"
                    : "exec: \"" + command + "\": executable file not found in $PATH";
        } else if (lower.contains("permission denied")) {
            reason = "exec: \"" + command + "\": permission denied";
        } else {
            reason = err.isEmpty() ? "exec: \"" + command + "\": could not be started" : err.lines().findFirst().orElse(err);
        }
        return new ExecStartFailure(PREFIX + reason + ": unknown");
    }
}
