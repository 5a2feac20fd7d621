package io.berth.fs;

import io.berth.linux.ErrnoException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cp race without a container: a thread keeps swapping a directory and a symlink to "/" inside the root
 * while the applier writes through the directory and the archiver reads through it. Whichever way each swap
 * stands, the host path the symlink would reach outside the root is never read or written.
 */
class SwapRaceTest {
    @TempDir
    Path tmp;

    @Test
    void swappingADirectoryForALinkToSlashNeverReachesTheHost() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "host");
        Path root = Files.createDirectories(tmp.resolve("root"));
        String rel = outside.toString().substring(1);
        Files.createDirectories(root.resolve("d").resolve(rel));
        Files.writeString(root.resolve("d").resolve(rel).resolve("secret"), "in-dir");
        Files.createDirectories(root.resolve(rel));
        Files.writeString(root.resolve(rel).resolve("secret"), "in-root");
        Files.createSymbolicLink(root.resolve("l"), Path.of("/"));

        AtomicBoolean stop = new AtomicBoolean();
        Thread swapper = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                try {
                    Files.move(root.resolve("d"), root.resolve("x"), StandardCopyOption.ATOMIC_MOVE);
                    Files.move(root.resolve("l"), root.resolve("d"), StandardCopyOption.ATOMIC_MOVE);
                    Files.move(root.resolve("x"), root.resolve("l"), StandardCopyOption.ATOMIC_MOVE);
                } catch (Exception e) {
                    // a half-done swap is retried; the race is the point
                }
                Thread.yield(); // on a loaded machine a swapper that never yields starves the reader of whole rounds
            }
        });
        byte[] tar = tarWith("planted");
        int reads = 0;
        int writes = 0;
        try (RootedDir dir = RootedDir.open(root)) {
            // 2000 rounds, and more (for up to 60 s) while too few of them got between two swaps: on a loaded machine
            // the swapper may win most rounds, and the test must still see enough reads and writes race with it.
            long deadline = System.nanoTime() + 60_000_000_000L;
            for (int i = 0; i < 2000 || ((reads <= 100 || writes <= 100) && System.nanoTime() < deadline); i++) {
                try (FileHandle secret = dir.resolve("d/" + rel + "/secret", RootedDir.Links.FOLLOW_IN_ROOT, false);
                     var in = secret.newInputStream()) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isNotEqualTo("host");
                    reads++;
                } catch (ErrnoException e) {
                    // mid-swap: "d" was missing for a moment
                }
                try {
                    String base;
                    try (FileHandle dest = dir.resolveDir("d/" + rel, RootedDir.Links.FOLLOW_IN_ROOT)) {
                        base = dir.pathOf(dest);
                    }
                    try (TarApplier applier = new TarApplier(dir, base, "tar", TarApplier.Options.intoContainer(false, true));
                         TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
                        for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                            applier.apply(e, in);
                        }
                        applier.finish();
                    }
                    writes++;
                } catch (ErrnoException | BadArchiveException e) {
                    // mid-swap
                }
                assertThat(outside.resolve("planted")).doesNotExist();
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
        assertThat(outside.resolve("secret")).hasContent("host");
        assertThat(reads).isGreaterThan(100);
        assertThat(writes).isGreaterThan(100);
    }

    private static byte[] tarWith(String name) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(1);
            out.putArchiveEntry(e);
            out.write('x');
            out.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }
}
