package io.berth.runtime;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChildFdsTest {
    private static final Path NULL = Path.of("/dev/null");

    @Test
    void opensAndDupsInTargetOrderAndClosesEverythingAbove() {
        ChildFds fds = new ChildFds().open(0, NULL, ChildFds.O_RDONLY).dup(1, 40).dup(2, 40).open(4, Path.of("/s"), ChildFds.O_WRONLY)
                .open(3, Path.of("/r"), ChildFds.O_RDONLY);
        assertThat(fds.actions()).containsExactly(
                new ChildFds.Open(0, "/dev/null", ChildFds.O_RDONLY, 0666),
                new ChildFds.Dup2(40, 1),
                new ChildFds.Dup2(40, 2),
                new ChildFds.Open(3, "/r", ChildFds.O_RDONLY, 0666),
                new ChildFds.Open(4, "/s", ChildFds.O_WRONLY, 0666));
        assertThat(fds.closeFrom()).isEqualTo(5);
    }

    @Test
    void aParentFdThatIsAlsoATargetIsMovedOutOfTheWayFirst() {
        // berthd started with its stdin closed: pipe2 may hand out fd 0 for the pipe's write end
        ChildFds fds = new ChildFds().open(0, NULL, ChildFds.O_RDONLY).dup(1, 0).dup(2, 0);
        assertThat(fds.actions()).containsExactly(
                new ChildFds.Dup2(0, 3),
                new ChildFds.Open(0, "/dev/null", ChildFds.O_RDONLY, 0666),
                new ChildFds.Dup2(3, 1),
                new ChildFds.Dup2(3, 2));
        assertThat(fds.closeFrom()).isEqualTo(3);
    }

    @Test
    void swappedFdsGoThroughScratchFdsAndADupOntoItselfStays() {
        ChildFds fds = new ChildFds().dup(0, 0).dup(1, 2).dup(2, 1);
        assertThat(fds.actions()).containsExactly(
                new ChildFds.Dup2(2, 3),
                new ChildFds.Dup2(1, 4),
                new ChildFds.Dup2(0, 0),
                new ChildFds.Dup2(3, 1),
                new ChildFds.Dup2(4, 2));
    }

    @Test
    void standardStreamsMustAllBeGivenAndNoTargetTwice() {
        assertThatThrownBy(() -> new ChildFds().open(0, NULL, 0).open(2, NULL, 1).actions())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("child fd 1");
        assertThatThrownBy(() -> new ChildFds().open(0, NULL, 0).dup(0, 7)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void waitStatusesBecomeProcessBuilderStyleExitCodes() {
        assertThat(SpawnedProcess.exitCode(0)).isZero();
        assertThat(SpawnedProcess.exitCode(127 << 8)).isEqualTo(127);
        assertThat(SpawnedProcess.exitCode(9)).isEqualTo(137);
        assertThat(SpawnedProcess.exitCode(15 | 0x80)).isEqualTo(143); // killed by SIGTERM, core dumped
    }
}
