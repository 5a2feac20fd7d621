package io.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /etc files of a container without a network: made once, kept, made again when a power loss emptied them. */
class EtcFilesTest {
    private static final String ID = "e".repeat(64);

    @TempDir
    Path root;

    private StepRun run() throws Exception {
        ContainerSpec s = ContainerSpec.builder(ID).name("etc").args(List.of("sh")).build();
        ContainerPaths p = ContainerPaths.of(root.resolve("data"), root.resolve("run"), ID);
        Files.createDirectories(p.dir());
        Container c = new Container(s, s.name(), new ContainerState(ContainerState.Status.CREATED, 0, 0, false, "", null, null),
                0, "crun", 0, false, p);
        return new StepRun(c);
    }

    @Test
    void anEditIsKeptAndAnEmptyFileIsMadeAgain() throws Exception {
        StepRun run = run();
        ContainerPaths p = run.container().paths();
        EtcFiles.write(run);
        assertThat(Files.readString(p.hostsFile())).contains("127.0.0.1\tlocalhost");
        assertThat(Files.readString(p.hostnameFile())).isEqualTo(ID.substring(0, 12) + "\n");
        assertThat(Files.size(p.resolvConfFile())).isPositive();

        Files.writeString(p.hostsFile(), "10.0.0.1 edited\n"); // an edit made in the container survives a restart
        // what an unsynced first write can leave after a power loss: the file there, its data not
        Files.writeString(p.hostnameFile(), "");
        Files.writeString(p.resolvConfFile(), "");
        EtcFiles.write(run);
        assertThat(Files.readString(p.hostsFile())).isEqualTo("10.0.0.1 edited\n");
        assertThat(Files.readString(p.hostnameFile())).isEqualTo(ID.substring(0, 12) + "\n");
        assertThat(Files.size(p.resolvConfFile())).isPositive();
    }
}
