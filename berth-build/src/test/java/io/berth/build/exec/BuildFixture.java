package io.berth.build.exec;

import io.berth.build.context.BuildContext;
import io.berth.oci.ContainerConfig;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.ImageConfig;
import io.berth.runtime.ContainerEvents;
import io.berth.runtime.ContainerService;
import io.berth.runtime.RuntimeSettings;
import io.berth.store.StoreServices;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A store, a container service and a builder over one temp data root, with "busybox:latest" imported from
 * the host's static busybox (applet symlinks, /etc/passwd with root and app:1000).
 */
final class BuildFixture implements AutoCloseable {
    private static byte[] busyboxTar;

    final Path root;
    final StoreServices store;
    final ContainerService containers;
    final ImageBuilder builder;

    BuildFixture(Path root) throws IOException {
        this.root = root;
        this.store = StoreServices.open(root.resolve("store"));
        this.containers = new ContainerService(RuntimeSettings.defaults(root.resolve("containers"))
                .withRunRoot(root.resolve("run")), ContainerEvents.NONE);
        this.builder = new ImageBuilder(store, containers, root.resolve("cache"));
        store.importer().importRootfs(new ByteArrayInputStream(busyboxTar()), "busybox:latest",
                ContainerConfig.empty().withCmd(List.of("sh")), "");
    }

    static synchronized byte[] busyboxTar() throws IOException {
        if (busyboxTar != null) {
            return busyboxTar;
        }
        Process list = new ProcessBuilder("/bin/busybox", "--list").redirectErrorStream(true).start();
        List<String> applets = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(a -> !a.isBlank() && !a.equals("busybox")).sorted().toList();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (String dir : List.of("bin/", "etc/", "root/", "tmp/", "home/", "home/app/")) {
                TarArchiveEntry d = new TarArchiveEntry(dir);
                d.setMode(dir.equals("tmp/") ? 01777 : 0755);
                if (dir.equals("home/app/")) {
                    d.setIds(1000, 1000);
                }
                tar.putArchiveEntry(d);
                tar.closeArchiveEntry();
            }
            byte[] bin = Files.readAllBytes(Path.of("/bin/busybox"));
            TarArchiveEntry b = new TarArchiveEntry("bin/busybox");
            b.setMode(0755);
            b.setSize(bin.length);
            tar.putArchiveEntry(b);
            tar.write(bin);
            tar.closeArchiveEntry();
            for (String applet : applets) {
                TarArchiveEntry l = new TarArchiveEntry("bin/" + applet, TarConstants.LF_SYMLINK);
                l.setLinkName("busybox");
                tar.putArchiveEntry(l);
                tar.closeArchiveEntry();
            }
            file(tar, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n");
            file(tar, "etc/group", "root:x:0:\napp:x:1000:\n");
        }
        busyboxTar = bytes.toByteArray();
        return busyboxTar;
    }

    private static void file(TarArchiveOutputStream tar, String name, String text) throws IOException {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0644);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    /** Output lines of one build, for assertions. */
    static final class Recorded implements BuildOutput {
        final List<String> lines = new CopyOnWriteArrayList<>();
        volatile Digest aux;

        @Override
        public void line(String text) {
            lines.add(text);
        }

        @Override
        public void aux(Digest imageId) {
            aux = imageId;
        }

        long count(String text) {
            return lines.stream().filter(text::equals).count();
        }

        /** For each "Step n/N" line, whether the step was taken from the cache. */
        List<Boolean> cachedSteps() {
            List<Boolean> out = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("Step ")) {
                    boolean cached = i + 1 < lines.size() && lines.get(i + 1).equals(" ---> Using cache");
                    out.add(cached);
                }
            }
            return out;
        }
    }

    BuildResult build(Path contextDir, Recorded out, Map<String, String> buildArgs, String target, Long sde,
                      boolean noCache) {
        try (BuildContext context = BuildContext.fromDirectory(contextDir)) {
            return builder.build(new BuildRequest(context, null, buildArgs, target, List.of("test/image:latest"), null,
                    noCache, false, null, null, sde, false, null, null), out);
        }
    }

    ImageConfig config(Digest id) {
        return store.images().get(id).orElseThrow().config();
    }

    RootfsView rootfs(Digest id) {
        return new RootfsView(store.images().lowerDirs(id));
    }

    String read(Digest id, String path) {
        return new String(rootfs(id).read(path).orElseThrow(() -> new AssertionError("no " + path)), StandardCharsets.UTF_8);
    }

    /** Names (and link flags) of the entries of the image's topmost layer tar. */
    List<TarArchiveEntry> topLayer(Digest id) throws IOException {
        List<Descriptor> layers = store.images().manifest(id).layers();
        List<TarArchiveEntry> entries = new ArrayList<>();
        try (InputStream in = store.content().open(layers.getLast().digest());
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                entries.add(e);
            }
        }
        return entries;
    }

    static void write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Override
    public void close() {
        containers.close();
    }
}
