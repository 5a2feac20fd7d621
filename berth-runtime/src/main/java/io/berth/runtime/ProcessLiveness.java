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
        String[] f = statAfterComm(pid);
        char state = f.length > 0 && !f[0].isEmpty() ? f[0].charAt(0) : 'X';
        return state != 'Z' && state != 'X';
    }

    /** When {@code pid} started, in clock ticks after boot (/proc's field 22, what crun records); -1 when it is gone. */
    static long startTime(int pid) {
        String[] f = statAfterComm(pid);
        return f.length > 19 ? Long.parseLong(f[19]) : -1;
    }

    /**
     * /proc/PID/stat's fields after the command name, from the state (field 3) on; none when there is no such
     * process. The name may hold spaces and parentheses, so the fields start after the last ')'.
     */
    private static String[] statAfterComm(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            int end = stat.lastIndexOf(')');
            return end >= 0 && end + 2 < stat.length() ? stat.substring(end + 2).strip().split(" ") : new String[0];
        } catch (IOException e) {
            return new String[0]; // no such process
        }
    }
}
