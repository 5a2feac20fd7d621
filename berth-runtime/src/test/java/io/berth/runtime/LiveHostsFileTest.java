package io.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveHostsFileTest {
    @TempDir
    Path dir;

    @Test
    void editsFromSeveralThreadsAreNeverLostAndTheInodeStays() throws Exception {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1\tlocalhost\n");
        Object inode = Files.getAttribute(hosts, "unix:ino");
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 100; i++) {
                    String line = "10.0." + thread + "." + i + "\tn" + thread + "-" + i;
                    try {
                        LiveHostsFile.edit(hosts, lines -> {
                            lines.add(line);
                            return lines;
                        });
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(Files.readAllLines(hosts)).hasSize(401);
        assertThat(Files.getAttribute(hosts, "unix:ino")).isEqualTo(inode);
    }

    @Test
    void aMissingFileIsLeftAlone() throws Exception {
        LiveHostsFile.edit(dir.resolve("none"), lines -> List.of("x"));
        assertThat(dir.resolve("none")).doesNotExist();
    }
}
