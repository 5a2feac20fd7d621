package io.berth.store;

import io.berth.fs.BadArchiveException;
import io.berth.fs.EntryName;
import io.berth.oci.errors.InvalidArgumentException;

import java.util.List;

/**
 * Tar entry names of archives the store reads (docker save/OCI archives), with berth-fs's {@link EntryName}
 * rules, as the engine's own error. Validates and normalises a tar entry name from an untrusted archive. A leading "./" is normal (tar -C dir .)
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
        try {
            return EntryName.components(context, entryName, name);
        } catch (BadArchiveException e) {
            throw new InvalidArgumentException(e.getMessage(), e);
        }
    }

    static InvalidArgumentException unsafe(String context, String entryName, String reason) {
        return new InvalidArgumentException(context + ": unsafe entry " + entryName + ": " + reason);
    }
}
