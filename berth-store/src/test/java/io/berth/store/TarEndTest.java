package io.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.oci.errors.InvalidArgumentException;

/**
 * Where a tar may end, as Go's reader takes it: the docker CLI's build context for {@code -f /elsewhere/Dockerfile}
 * stops right after its last entry's data (no padding, no end blocks), and that is a whole archive; a stream cut
 * inside an entry's data is still a truncated one.
 */
class TarEndTest {
    /** "a" (5 bytes): header at 0, data at 512; "b" (47 bytes): header at 1024, data at 1536..1583. */
    private static byte[] archive() {
        return new TarBuilder().file("a", "hello").file("b", "x".repeat(46) + "\n").build();
    }

    @Test
    void aStreamEndingRightAfterTheLastEntrysDataIsComplete(@TempDir Path root) throws Exception {
        byte[] cut = Arrays.copyOf(archive(), 1536 + 47);
        DirectoryUntar.extract(new ByteArrayInputStream(cut), root, "/", false, false);
        assertThat(Files.readString(root.resolve("a"))).isEqualTo("hello");
        assertThat(Files.readString(root.resolve("b"))).isEqualTo("x".repeat(46) + "\n");
    }

    @Test
    void aStreamEndingAfterAPaddedEntryWithoutEndBlocksIsComplete(@TempDir Path root) throws Exception {
        DirectoryUntar.extract(new ByteArrayInputStream(Arrays.copyOf(archive(), 1024)), root, "/", false, false);
        assertThat(Files.readString(root.resolve("a"))).isEqualTo("hello");
        assertThat(root.resolve("b")).doesNotExist();
    }

    @Test
    void aStreamCutInsideAnEntrysDataIsTruncated(@TempDir Path root) {
        byte[] cut = Arrays.copyOf(archive(), 1536 + 20);
        assertThatThrownBy(() -> DirectoryUntar.extract(new ByteArrayInputStream(cut), root, "/", false, false))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("runcated");
    }

    @Test
    void aStreamCutInsideTheLastPaddingIsTruncated(@TempDir Path root) {
        byte[] cut = Arrays.copyOf(archive(), 1536 + 100);
        assertThatThrownBy(() -> DirectoryUntar.extract(new ByteArrayInputStream(cut), root, "/", false, false))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("runcated");
    }
}
