package io.berth.runtime;

/** Whether a process (not necessarily our child, e.g. a daemonized conmon) still exists. */
final class ProcessLiveness {
    private ProcessLiveness() {}

    static boolean alive(int pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
