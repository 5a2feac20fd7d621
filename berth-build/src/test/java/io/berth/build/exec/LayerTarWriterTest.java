package io.berth.build.exec;

import io.berth.oci.Digest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LayerTarWriterTest {
    private static byte[] tar(List<LayerEntry> entries, Instant mtime) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerTarWriter.write(entries, mtime, out);
        return out.toByteArray();
    }

    private static List<TarArchiveEntry> read(byte[] tar) throws Exception {
        List<TarArchiveEntry> out = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void entriesAreSortedWithParentsFirstAndBytesDoNotDependOnInputOrder() throws Exception {
        LayerEntry dir = LayerEntry.directory("a", 0755, 0, 0);
        LayerEntry inDir = LayerEntry.bytes("a/b", 0644, 1000, 1000, "x".getBytes(StandardCharsets.UTF_8));
        LayerEntry sibling = LayerEntry.bytes("a.b", 0600, 0, 0, new byte[0]);
        LayerEntry gone = new LayerEntry("a/old", LayerEntry.Kind.WHITEOUT, 0, 0, 0, 0, null, null, null, 0, 0, null);
        LayerEntry opaque = new LayerEntry("a", LayerEntry.Kind.OPAQUE, 0, 0, 0, 0, null, null, null, 0, 0, null);
        byte[] one = tar(List.of(sibling, inDir, gone, dir, opaque), Instant.EPOCH);
        byte[] two = tar(List.of(opaque, dir, gone, inDir, sibling), Instant.EPOCH);
        assertThat(Digest.sha256(one)).isEqualTo(Digest.sha256(two));
        List<TarArchiveEntry> entries = read(one);
        assertThat(entries).extracting(TarArchiveEntry::getName)
                .containsExactly("a/", "a/.wh..wh..opq", "a/.wh.old", "a/b", "a.b");
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.getModTime().getTime()).isZero();
            assertThat(e.getUserName()).isEmpty();
        });
        assertThat(entries.get(3).getLongUserId()).isEqualTo(1000);
        assertThat(entries.get(4).getMode() & 07777).isEqualTo(0600);
    }

    @Test
    void sourceDateEpochChangesEveryMtimeAndLongNamesGetPax() throws Exception {
        String longName = "d/" + "x".repeat(150);
        byte[] t = tar(List.of(LayerEntry.bytes(longName, 0644, 0, 0, new byte[3]),
                LayerEntry.symlink("l", 0, 0, "target")), Instant.ofEpochSecond(1_700_000_000L));
        List<TarArchiveEntry> entries = read(t);
        assertThat(entries).extracting(TarArchiveEntry::getName).containsExactly(longName, "l");
        assertThat(entries).allSatisfy(e -> assertThat(e.getModTime().toInstant().getEpochSecond()).isEqualTo(1_700_000_000L));
        assertThat(entries.get(1).getLinkName()).isEqualTo("target");
    }


    @Test
    void cacheEntriesSurviveANewInstanceAndPruneRemovesThem(@TempDir Path dir) {
        Digest key = BuildCache.key(Digest.sha256(new byte[0]), "RUN x", List.of("a"));
        assertThat(key).isNotEqualTo(BuildCache.key(Digest.sha256(new byte[0]), "RUN x", List.of("b")));
        BuildState state = new BuildState(BuildState.scratchConfig(), List.of(), Digest.sha256(new byte[] {1}),
                Digest.sha256(new byte[] {2}));
        new BuildCache(dir).put(key, state);
        BuildCache reopened = new BuildCache(dir);
        assertThat(reopened.get(key)).contains(new BuildCache.Entry(state.configDigest(), state.manifestDigest()));
        assertThat(reopened.prune((entry, written) -> false)).isEmpty();
        assertThat(reopened.get(key)).isPresent();
        assertThat(reopened.prune((entry, written) -> entry.config().equals(state.configDigest()))).containsExactly(key.hex());
        assertThat(reopened.get(key)).isEmpty();
    }
}
