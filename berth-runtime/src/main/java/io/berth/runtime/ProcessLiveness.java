package io.berth.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a process (not necessarily our child, e.g. a daemonized conmon) still exists. */
final class ProcessLiveness {
    private ProcessLiveness() {}

    /**
     * True while {@code pid} is the conmon of container {@code containerId}: alive, and started with
     * {@code -c <id>}. A recorded pid may be another process's since (conmon died while berthd was down, or the host
     * rebooted, and the pid was given again): taken for the container's conmon, it showed the container running
     * and watched a stranger for its exit.
     */
    static boolean isConmonOf(int pid, String containerId) {
        if (pid <= 0 || !alive(pid)) return false;
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            String wanted = "\0-c\0" + containerId + "\0";
            return new String(cmdline, StandardCharsets.ISO_8859_1).contains(wanted);
        } catch (IOException e) {
            return false; // ended meanwhile
        }
    }

    /**
     * True while the process runs. A zombie has ended: a daemonized conmon that died is reparented to the host's
     * init, which may reap it late (seconds, on this kind of host), and until then /proc still lists it, so the
     * JDK's {@code ProcessHandle.isAlive} says yes and recovery would watch a dead conmon.
     */
    static boolean alive(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // pid (comm) state ...: comm may hold spaces and parentheses, so the state follows the last ')'
            int end = stat.lastIndexOf(')');
            char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : 'X';
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false; // no such process
        }
    }
}
