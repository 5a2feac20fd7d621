package io.berth.store;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Prepared snapshots stacked by a real overlayfs (the runtime mounts them; the options are spelled out here). */
class SnapshotOverlayTest {
    @TempDir
    Path tmp;

    @Test
    @Tag("privileged")
    void whiteoutsAndOpaqueDirsHideLowerFilesInARealOverlay() throws Exception {
        StoreServices store = StoreServices.open(tmp.resolve("store"));
        byte[] base = new TarBuilder().dir("a").file("a/keep", "k").file("a/gone", "g").dir("d").file("d/old", "o")
                .build();
        byte[] top = new TarBuilder().file("a/.wh.gone", "").dir("d").file("d/.wh..wh..opq", "").file("d/new", "n")
                .build();
        Digest baseBlob = store.content().put(new ByteArrayInputStream(base));
        Digest topBlob = store.content().put(new ByteArrayInputStream(TarBuilder.gzip(top)));
        List<Path> lowers = store.snapshots().prepare(
                List.of(Descriptor.of(MediaTypes.OCI_LAYER_TAR, baseBlob, base.length),
                        Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, topBlob, 0)),
                List.of(Digest.sha256(base), Digest.sha256(top)));
        assertThat(lowers.getFirst().getFileName().toString()).isNotEqualTo(Digest.sha256(base).hex());

        Path upper = Files.createDirectory(tmp.resolve("upper"));
        Path work = Files.createDirectory(tmp.resolve("work"));
        Path merged = Files.createDirectory(tmp.resolve("merged"));
        String lowerdir = String.join(":", lowers.stream().map(Path::toString).toList());
        run("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + lowerdir + ",upperdir=" + upper + ",workdir=" + work,
                merged.toString());
        try {
            assertThat(Files.readString(merged.resolve("a/keep"))).isEqualTo("k");
            assertThat(merged.resolve("a/gone")).doesNotExist();
            assertThat(merged.resolve("d/old")).doesNotExist();
            assertThat(Files.readString(merged.resolve("d/new"))).isEqualTo("n");
            assertThat(lowers.getLast().resolve("a/gone")).exists();
        } finally {
            run("umount", merged.toString());
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }
}
