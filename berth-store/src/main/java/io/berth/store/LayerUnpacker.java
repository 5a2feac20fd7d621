package io.berth.store;

import io.berth.fs.BadArchiveException;
import io.berth.fs.RootedDir;
import io.berth.fs.TarApplier;
import io.berth.oci.Digest;
import io.berth.oci.DigestingInputStream;
import io.berth.oci.errors.BerthException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Applies one layer tar (uncompressed or gzip, detected by magic bytes) into an empty directory that becomes an
 * overlayfs lowerdir, and returns the layer's diff ID (sha256 of the uncompressed tar stream).
 * <p>
 * OCI whiteouts become overlay whiteouts: {@code .wh.NAME} is a 0/0 character device NAME, {@code .wh..wh..opq}
 * sets {@code trusted.overlay.opaque=y} on its directory. Layers are untrusted input: entries with ".." or an
 * absolute name, entries reached through a symlink, hardlinks to files neither in this layer nor in the lower
 * snapshots, and device nodes are refused ({@link InvalidArgumentException} "layer tar: unsafe entry ..."), as
 * are truncated archives. On any failure the target directory is deleted, so a snapshot is whole or absent.
 */
public final class LayerUnpacker {
    private static final String CONTEXT = "layer tar";
    private static final int TAR_BLOCK = 512;

    /**
     * @param layer     the layer blob; closed by the caller
     * @param target    an empty or missing directory
     * @param lowerDirs snapshots of the layers below, topmost first (for hardlinks into older layers)
     * @return the diff ID of the layer
     */
    public Digest unpack(InputStream layer, Path target, List<Path> lowerDirs) {
        return unpack(layer, target, lowerDirs, null);
    }

    /**
     * Like {@link #unpack(InputStream, Path, List)}, for a layer whose blob digest is known: the content store's
     * key, or the digest a download verifies before it uses the result. An uncompressed layer's diff ID is its
     * blob digest, so such a layer is not hashed a second time (on a 200 MB layer that is a tenth of a second of
     * CPU in every pull and first run).
     *
     * @param blobDigest the digest of exactly the bytes {@code layer} yields, or null when unknown; the caller
     *                   must not use the result unless those bytes are verified against it
     */
    public Digest unpack(InputStream layer, Path target, List<Path> lowerDirs, Digest blobDigest) {
        prepareTarget(target);
        try {
            InputStream raw = layer.markSupported() ? layer : new BufferedInputStream(layer, Compression.BUFFER);
            Compression compression = Compression.detect(raw);
            boolean diffIdKnown = compression == Compression.NONE && blobDigest != null
                    && blobDigest.algorithm().equals(Digest.SHA256);
            InputStream tar = Compression.decompressed(raw, CONTEXT);
            DigestingInputStream uncompressed = diffIdKnown ? DigestingInputStream.countingOnly(tar)
                    : new DigestingInputStream(tar);
            TarSource source = new TarSource(uncompressed, CONTEXT);
            try (RootedDir root = RootedDir.open(target);
                 TarApplier applier = new TarApplier(root, "", CONTEXT, TarApplier.Options.layer(lowerDirs))) {
                for (TarArchiveEntry entry = source.next(); entry != null; entry = source.next()) {
                    applier.apply(entry, source.data());
                }
                try {
                    // The diff ID covers the whole stream, including the end-of-archive blocks and any padding.
                    uncompressed.drain();
                } catch (IOException e) {
                    throw source.truncated(e);
                }
                if (uncompressed.count() % TAR_BLOCK != 0) {
                    throw new InvalidArgumentException(CONTEXT + ": truncated archive (" + uncompressed.count()
                            + " bytes is not a whole number of tar blocks)");
                }
                applier.finish();
            }
            return diffIdKnown ? blobDigest : uncompressed.digest();
        } catch (BadArchiveException e) {
            DirectoryTrees.deleteQuietly(target);
            throw new InvalidArgumentException(e.getMessage(), e);
        } catch (BerthException e) {
            DirectoryTrees.deleteQuietly(target);
            throw e;
        } catch (IOException | RuntimeException e) {
            DirectoryTrees.deleteQuietly(target);
            throw new SystemFailureException(CONTEXT + ": cannot unpack into " + target + ": " + e.getMessage(), e);
        }
    }

    private static void prepareTarget(Path target) {
        try {
            if (Files.isSymbolicLink(target)) {
                throw new InvalidArgumentException("unpack target " + target + " is a symlink");
            }
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                if (!DirectoryTrees.isEmptyDirectory(target)) {
                    throw new InvalidArgumentException("unpack target " + target + " is not empty");
                }
            } else {
                Files.createDirectories(target);
            }
        } catch (IOException e) {
            throw new SystemFailureException("cannot create " + target + ": " + e.getMessage(), e);
        }
    }
}
