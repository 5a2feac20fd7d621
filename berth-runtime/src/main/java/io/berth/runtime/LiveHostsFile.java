package io.berth.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Edits of a running container's hosts file (a network connected or disconnected, a link's target moved). The file
 * is bind-mounted into the container, which would not see a renamed file, so it is rewritten in place. The edits
 * come from different threads (a connect, another container's start), each a read, a change and a write: one lock
 * for all of them, so none is lost to another's stale read. Held for a file's read and write only.
 */
public final class LiveHostsFile {
    private static final Object LOCK = new Object();

    private LiveHostsFile() {}

    /** Applies {@code change} to the lines of {@code hosts}; a file that does not exist is left alone. */
    public static void edit(Path hosts, UnaryOperator<List<String>> change) throws IOException {
        synchronized (LOCK) {
            if (!Files.exists(hosts)) return;
            List<String> before = Files.readAllLines(hosts);
            List<String> after = change.apply(new ArrayList<>(before));
            if (after.equals(before)) return;
            StringBuilder out = new StringBuilder();
            for (String l : after) out.append(l).append('\n');
            Files.writeString(hosts, out);
        }
    }
}
