package io.berth.cli.archive;

import java.nio.charset.StandardCharsets;

/**
 * Tells an archive from a plain Dockerfile by its first bytes, for {@code build -}: compressed streams by
 * their magic numbers (the daemon decompresses them), a tar by its ustar magic or a valid header checksum.
 */
public final class ArchiveSniffer {

    /** How many leading bytes {@link #isArchive} wants to see: one tar header block. */
    public static final int HEADER_SIZE = 512;

    private ArchiveSniffer() {}

    public static boolean isArchive(byte[] head, int length) {
        return startsWith(head, length, 0x1f, 0x8b)                          // gzip
                || startsWith(head, length, 'B', 'Z', 'h')                   // bzip2
                || startsWith(head, length, 0xfd, '7', 'z', 'X', 'Z', 0x00) // xz
                || startsWith(head, length, 0x28, 0xb5, 0x2f, 0xfd)          // zstd
                || isTarHeader(head, length);
    }

    private static boolean startsWith(byte[] head, int length, int... magic) {
        if (length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTarHeader(byte[] head, int length) {
        if (length < HEADER_SIZE) {
            return false;
        }
        if (new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
            return true;
        }
        // a pre-POSIX (v7) tar has no magic: check the header checksum, which counts its own field as spaces
        String field = new String(head, 148, 8, StandardCharsets.US_ASCII).replace('\0', ' ').trim();
        if (field.isEmpty() || !field.chars().allMatch(c -> c >= '0' && c <= '7')) {
            return false;
        }
        long sum = 0;
        for (int i = 0; i < HEADER_SIZE; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : head[i] & 0xff;
        }
        return sum == Long.parseLong(field, 8);
    }
}
