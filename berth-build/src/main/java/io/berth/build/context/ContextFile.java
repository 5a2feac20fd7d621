package io.berth.build.context;

import java.nio.file.Path;

/**
 * One file a COPY/ADD source resolved to.
 *
 * @param relativePath where it goes, relative to the destination ("" when the source itself is the file copied
 *                     to the destination path; "a/b.txt" for a file found inside a copied directory)
 * @param path         the file on disk, inside the context root
 * @param linkTarget   the symlink's target as stored (never followed), or null
 * @param mode         permission bits (07777) as on disk
 * @param mtime        modification time in epoch milliseconds (not part of the content digest)
 */
public record ContextFile(String relativePath, Path path, boolean directory, boolean symlink, String linkTarget,
                          long size, int mode, long mtime) {
}
