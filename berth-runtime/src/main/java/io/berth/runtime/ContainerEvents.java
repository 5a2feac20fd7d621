package io.berth.runtime;

import java.util.Map;

/**
 * Receives lifecycle events ("create", "start", "die", "stop", "kill", "destroy", "pause", "unpause", "rename",
 * "restart", "oom", "exec_create", "exec_start", "exec_die") for the daemon's /events stream.
 */
@FunctionalInterface
public interface ContainerEvents {
    /** @param attributes extra Docker event attributes such as "exitCode", "signal", "oldName", "execID" */
    void emit(String containerId, String action, Map<String, String> attributes);

    ContainerEvents NONE = (id, action, attrs) -> {};
}
