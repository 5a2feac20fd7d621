package io.berth.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files of one container's log, oldest first:
 * <pre>
 * ctr.log.N[.gz] ... ctr.log.2[.gz]   older rotations (compressed when the driver's compress is on)
 * ctr.log.1[.gz]                      the last rotation; conmon may still be writing into ctr.log.1 until it reopens
 * ctr.log                             conmon's current file (missing between a rotation and conmon's reopen)
 * ctr.log.N.gz.tmp                    a compression in progress: never read, removed by the next rotation
 * </pre>
 * A rotated file that exists both plain and compressed is being compressed: the .gz is complete (it is renamed
 * into place only once written and synced), so it wins and the plain one is only waiting to be deleted.
 *
 * @param lock held by the rotator while it renames files and by a reader while it opens them
 */
record LogFiles(Path current, Lock lock) {
    static final String GZ = ".gz";

    /**
     * Held by the rotator while it renames files and by a reader while it opens them; counts the rotations (each
     * move of the current file to .1), so that a follower knows how many files came after the one it read.
     */
    static final class Lock {
        long rotations;
    }

    /** One rotated file: its number (1 = newest) and whether it is gzip-compressed. */
    record Rotated(int number, Path path, boolean compressed) {}

    /** The rotated files, oldest (highest number) first. */
    List<Rotated> rotated() {
        Map<Integer, Rotated> byNumber = new TreeMap<>(Comparator.reverseOrder());
        String prefix = current.getFileName() + ".";
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(current.getParent(), prefix + "*")) {
            for (Path p : dir) {
                String rest = p.getFileName().toString().substring(prefix.length());
                boolean gz = rest.endsWith(GZ);
                String digits = gz ? rest.substring(0, rest.length() - GZ.length()) : rest;
                if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 6) continue;
                int n = Integer.parseInt(digits);
                if (n < 1) continue;
                Rotated r = new Rotated(n, p, gz);
                byNumber.merge(n, r, (a, b) -> a.compressed() ? a : b);
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new io.berth.oci.errors.SystemFailureException("listing log files of " + current + ": " + e.getMessage(), e);
        }
        return new ArrayList<>(byNumber.values());
    }

    Path rotatedPath(int number, boolean compressed) {
        return current.resolveSibling(current.getFileName() + "." + number + (compressed ? GZ : ""));
    }
}
