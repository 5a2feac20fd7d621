package io.berth.store;

import io.berth.oci.errors.InvalidArgumentException;

import java.util.ArrayList;
import java.util.List;

/**
 * Validates and normalises a tar entry name from an untrusted archive. A leading "./" is normal (tar -C dir .)
 * and stripped; a leading "/" is refused rather than silently re-rooted, and so is any ".." component, because
 * either means the archive was made to write somewhere other than where it is extracted.
 */
final class TarEntryName {
    private TarEntryName() {
    }

    /**
     * The entry's path relative to the extraction root, components joined by "/"; "" is the root itself.
     *
     * @param context prefix for error messages, e.g. "layer tar"
     */
    static String normalise(String context, String name) {
        return String.join("/", components(context, name, name));
    }

    /** Same as {@link #normalise} but reports problems as belonging to {@code entryName}'s link target. */
    static List<String> components(String context, String entryName, String name) {
        if (name == null || name.isEmpty()) {
            throw unsafe(context, entryName, "empty name");
        }
        if (name.indexOf('\0') >= 0) {
            throw unsafe(context, entryName, "NUL in name");
        }
        if (name.startsWith("/")) {
            throw unsafe(context, entryName, "absolute path " + name);
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw unsafe(context, entryName, "'..' component in " + name);
            }
            parts.add(part);
        }
        return parts;
    }

    static InvalidArgumentException unsafe(String context, String entryName, String reason) {
        return new InvalidArgumentException(context + ": unsafe entry " + entryName + ": " + reason);
    }
}
