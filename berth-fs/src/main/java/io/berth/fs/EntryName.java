package io.berth.fs;

import java.util.ArrayList;
import java.util.List;

/**
 * Validates and splits a tar entry name from an untrusted archive. A leading "./" is normal (tar -C dir .) and
 * stripped; a leading "/" is refused rather than silently re-rooted, and so is any ".." component, because
 * either means the archive was made to write somewhere other than where it is applied.
 */
public final class EntryName {
    private EntryName() {
    }

    /**
     * The components of {@code name} below the extraction root (empty: the root itself).
     *
     * @param context   prefix for error messages, e.g. "layer tar"
     * @param entryName the entry the name belongs to (itself, or the entry whose link target it is)
     */
    public static List<String> components(String context, String entryName, String name) {
        if (name == null || name.isEmpty()) {
            throw BadArchiveException.unsafe(context, entryName, "empty name");
        }
        if (name.indexOf('\0') >= 0) {
            throw BadArchiveException.unsafe(context, entryName, "NUL in name");
        }
        if (name.startsWith("/")) {
            throw BadArchiveException.unsafe(context, entryName, "absolute path " + name);
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw BadArchiveException.unsafe(context, entryName, "'..' component in " + name);
            }
            parts.add(part);
        }
        return parts;
    }
}
