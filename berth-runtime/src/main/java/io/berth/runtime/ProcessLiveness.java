package io.berth.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a process (not necessarily our child, e.g. a daemonized conmon) still exists. */
final class ProcessLiveness {
    private ProcessLiveness() {}

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
