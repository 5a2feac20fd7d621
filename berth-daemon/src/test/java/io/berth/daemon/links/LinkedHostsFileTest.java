package io.berth.daemon.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.runtime.ContainerPaths;

class LinkedHostsFileTest {
    @TempDir
    Path dir;

    private ContainerPaths paths() {
        return new ContainerPaths(dir.resolve("c"), dir.resolve("run"));
    }

    @Test
    void onlyTheRecordedLinesAreReplacedAndTheFileKeepsItsInode() throws Exception {
        ContainerPaths p = paths();
        Files.createDirectories(p.hostsFile().getParent());
        Files.writeString(p.hostsFile(), "127.0.0.1\tlocalhost\n10.89.0.5\tweb\n10.89.0.2\tdatabase db\n10.0.0.9\tadded-inside\n");
        LinkedHostsFile.started(p, List.of("10.89.0.2\tdatabase db"));
        Object inode = Files.getAttribute(p.hostsFile(), "unix:ino");

        LinkedHostsFile.replace(p, List.of("10.89.0.7\tdatabase db"));
        assertThat(Files.readString(p.hostsFile()))
                .isEqualTo("127.0.0.1\tlocalhost\n10.89.0.5\tweb\n10.0.0.9\tadded-inside\n10.89.0.7\tdatabase db\n");
        assertThat(Files.getAttribute(p.hostsFile(), "unix:ino")).as("bind-mounted: rewritten in place").isEqualTo(inode);

        LinkedHostsFile.replace(p, List.of());
        assertThat(Files.readString(p.hostsFile())).isEqualTo("127.0.0.1\tlocalhost\n10.89.0.5\tweb\n10.0.0.9\tadded-inside\n");
    }
}
