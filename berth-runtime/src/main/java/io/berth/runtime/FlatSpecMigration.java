package io.berth.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * Reads container.json documents written before {@link ContainerSpec} had named parts. Their "spec" held every
 * setting at the top level ({"id", "args", "tty", "capAdd", "restartPolicy", ...}); this moves each setting into
 * its part, in place, so that one reader handles both shapes. Documents are rewritten in the nested shape the next time
 * the container is saved. A setting missing from an old document (written before it existed) stays
 * missing and gets its default, as it did when the flat record read it.
 */
final class FlatSpecMigration {
    /** Which part each flat key moved to; keys not listed (id, name, image, labels, rootfs, ...) stay where they are. */
    private static final Map<String, List<String>> PARTS = Map.of(
            "process", List.of("args", "env", "workingDir", "user", "tty", "openStdin", "init", "stopSignal", "stopTimeoutSeconds"),
            "security", List.of("privileged", "readOnlyRootfs", "capAdd", "capDrop", "noNewPrivileges", "seccomp"),
            "network", List.of("hostname"),
            "lifecycle", List.of("restartPolicy", "autoRemove", "runtime"));

    private FlatSpecMigration() {}

    /** Rewrites {@code document}'s "spec" into the nested shape when it is flat; a nested one is left alone. */
    static void upgrade(JsonNode document) {
        if (!(document.get("spec") instanceof ObjectNode spec) || !isFlat(spec)) return;
        PARTS.forEach((part, keys) -> {
            ObjectNode node = spec.putObject(part);
            for (String key : keys) {
                JsonNode value = spec.remove(key);
                if (value != null) node.set(key, value);
            }
        });
    }

    /** Every nested document has "process" (the writer emits every part); no flat one had it. */
    private static boolean isFlat(ObjectNode spec) {
        return !spec.has("process");
    }
}
