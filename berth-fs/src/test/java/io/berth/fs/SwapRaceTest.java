package io.berth.fs;

import io.berth.linux.ErrnoException;
import io.berth.linux.FileCalls;
import io.berth.linux.Libc;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cp race without a container: a thread keeps exchanging a directory and a symlink to "/" inside the root
 * while the applier writes through the directory and the archiver reads through it. Whichever way each swap
 * stands, the host path the symlink would reach outside the root is never read or written.
 *
 * <p>The swapper exchanges the two names in one step ({@code renameat2} with {@code RENAME_EXCHANGE}), so "d" is at
 * every instant the directory or the link, never missing. Three renames left "d" missing between the first two: a
 * swapper preempted there (a loaded machine preempts it often) failed every read and write until it ran again, and
 * those failing rounds, far cheaper than a read or a write that goes through, used up the rounds and the time (at a
 * load of 30, 29 reads or writes in 60 s; at 18, half the reads failed). Now a round fails only when a swap lands
 * inside a walk in a way the kernel refuses, and the test checks what makes it a race rather than counting on it:
 * the swapper swapped while the rounds ran, and reads went through the directory and through the link.
 */
class SwapRaceTest {
    private static final int RENAME_EXCHANGE = 2;
    private static final MethodHandle RENAMEAT2 = Libc.function("renameat2",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));

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
        AtomicLong swaps = new AtomicLong();
        Thread swapper = Thread.ofPlatform().start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment d = arena.allocateFrom(root.resolve("d").toString());
                MemorySegment l = arena.allocateFrom(root.resolve("l").toString());
                while (!stop.get()) {
                    if ((int) RENAMEAT2.invokeExact(FileCalls.AT_FDCWD, d, FileCalls.AT_FDCWD, l, RENAME_EXCHANGE) == 0) {
                        swaps.incrementAndGet();
                    }
                    Thread.yield(); // on a loaded machine a swapper that never yields starves the reader of whole rounds
                }
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        });
        byte[] tar = tarWith("planted");
        int readsThroughDir = 0;
        int readsThroughLink = 0;
        int writes = 0;
        long swapsAtStart;
        try (RootedDir dir = RootedDir.open(root)) {
            while (swaps.get() == 0) {
                Thread.onSpinWait(); // the race starts with the swapper running
            }
            swapsAtStart = swaps.get();
            // 2000 rounds, and more (for up to 120 s) while too few of them went each way
            long deadline = System.nanoTime() + 120_000_000_000L;
            for (int i = 0; i < 2000 || ((Math.min(readsThroughDir, readsThroughLink) < 20 || writes < 100)
                    && System.nanoTime() < deadline); i++) {
                try (FileHandle secret = dir.resolve("d/" + rel + "/secret", RootedDir.Links.FOLLOW_IN_ROOT, false);
                     var in = secret.newInputStream()) {
                    String content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    assertThat(content).isNotEqualTo("host");
                    if (content.equals("in-dir")) {
                        readsThroughDir++;
                    } else {
                        readsThroughLink++;
                    }
                } catch (ErrnoException e) {
                    // the swap landed inside the walk in a way the kernel refuses
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
                    // as above
                }
                assertThat(outside.resolve("planted")).doesNotExist();
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
        assertThat(outside.resolve("secret")).hasContent("host");
        // the reads and writes raced the swapper: it swapped meanwhile, and reads went through either side of it
        assertThat(swaps.get() - swapsAtStart).as("swaps during the rounds").isGreaterThan(100);
        assertThat(readsThroughDir).as("reads through the directory").isGreaterThanOrEqualTo(20);
        assertThat(readsThroughLink).as("reads through the link").isGreaterThanOrEqualTo(20);
        assertThat(writes).as("writes").isGreaterThanOrEqualTo(100);
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
