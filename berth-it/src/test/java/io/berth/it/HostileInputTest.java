package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed and malicious requests get a clear error, nothing escapes, and the daemon keeps serving. */
@Tag("privileged")
class HostileInputTest {
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("hostile");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    private Cmd.Result curl(String... args) throws Exception {
        return daemon.curl(args);
    }

    private void assertStillServing() throws Exception {
        assertThat(daemon.docker("version", "--format", "{{.Server.Version}}").orFail().out()).isNotEmpty();
    }

    @Test
    void badJsonOnCreateIs400() throws Exception {
        Cmd.Result r = curl("-X", "POST", "-H", "Content-Type: application/json", "-d", "{\"Image\": ", "http://x/v1.43/containers/create");
        assertThat(r.stdout()).endsWith("400").contains("\"message\"");
        Cmd.Result wrongType = curl("-X", "POST", "-H", "Content-Type: application/json", "-d", "[1,2]", "http://x/v1.43/containers/create");
        assertThat(wrongType.stdout()).endsWith("400");
        Cmd.Result noImage = curl("-X", "POST", "-H", "Content-Type: application/json", "-d", "{\"Image\":\"nope:0\"}", "http://x/containers/create");
        assertThat(noImage.stdout()).endsWith("404").contains("No such image");
        assertStillServing();
    }

    @Test
    void unknownContainerIs404AndGarbageRequestIs400() throws Exception {
        assertThat(curl("http://x/v1.43/containers/doesnotexist/json").stdout()).endsWith("404").contains("No such container: doesnotexist");
        try (var ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(daemon.socket))) {
            ch.write(java.nio.ByteBuffer.wrap("GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            String answer = new String(java.nio.channels.Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400");
        }
        assertStillServing();
    }

    @Test
    void layerEscapesAreRefusedAndNothingIsWrittenOutside(@TempDir Path tmp) throws Exception {
        Path victim = Path.of("/tmp/berth-escape-victim");
        Files.deleteIfExists(victim);
        byte[][] evil = {
                tar(e -> e.file("../../../../../../tmp/berth-escape-victim", "x")),
                tar(e -> e.file("/tmp/berth-escape-victim", "x")),
                tar(e -> { e.symlink("link", "/tmp"); e.file("link/berth-escape-victim", "x"); }),
                tar(e -> e.hardlink("hl", "../../../../../../etc/passwd")),
                tar(e -> e.device("dev-null", 1, 3)),
        };
        for (byte[] layer : evil) {
            Path f = tmp.resolve("evil.tar");
            Files.write(f, layer);
            Cmd.Result r = daemon.docker("import", f.toString(), "evil:1");
            assertThat(r.exitCode()).as(r.toString()).isNotZero();
            assertThat(r.stderr()).contains("unsafe");
            assertThat(victim).doesNotExist();
        }
        byte[] whole = tar(e -> e.file("ok.txt", "a".repeat(5000)));
        Files.write(tmp.resolve("truncated.tar"), java.util.Arrays.copyOf(whole, 700));
        Cmd.Result truncated = daemon.docker("import", tmp.resolve("truncated.tar").toString(), "trunc:1");
        assertThat(truncated.exitCode()).isNotZero();
        assertThat(truncated.stderr()).containsIgnoringCase("truncated");
        assertStillServing();
    }

    @Test
    void archiveWithWrongDigestIsRefused(@TempDir Path tmp) throws Exception {
        Path good = tmp.resolve("good.tar");
        daemon.docker("save", "-o", good.toString(), "busybox").orFail();
        // Rewrite the archive with one blob's bytes changed but its name (digest) kept.
        Path bad = tmp.resolve("bad.tar");
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(good));
             var out = new TarArchiveOutputStream(Files.newOutputStream(bad))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry entry;
            boolean tampered = false;
            while ((entry = in.getNextEntry()) != null) {
                byte[] data = in.readAllBytes();
                if (!tampered && entry.getName().startsWith("blobs/sha256/") && data.length > 1000) {
                    data[data.length / 2] ^= 1;
                    tampered = true;
                }
                TarArchiveEntry copy = new TarArchiveEntry(entry.getName());
                copy.setSize(entry.isDirectory() ? 0 : data.length);
                copy.setMode(entry.getMode());
                if (entry.isDirectory()) copy = new TarArchiveEntry(entry.getName().endsWith("/") ? entry.getName() : entry.getName() + "/");
                out.putArchiveEntry(copy);
                if (!entry.isDirectory()) out.write(data);
                out.closeArchiveEntry();
            }
            assertThat(tampered).isTrue();
        }
        Cmd.Result r = daemon.docker("load", "-i", bad.toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr() + r.stdout()).contains("digest");
        assertStillServing();
    }

    // --- tiny tar builder for hostile layers ---
    interface TarBody { void write(TarBuilder t) throws Exception; }

    static final class TarBuilder {
        final TarArchiveOutputStream out;
        TarBuilder(TarArchiveOutputStream out) { this.out = out; }

        void file(String name, String content) throws Exception {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name, true);
            e.setSize(data.length);
            out.putArchiveEntry(e);
            out.write(data);
            out.closeArchiveEntry();
        }

        void symlink(String name, String target) throws Exception {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
            e.setLinkName(target);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
        }

        void hardlink(String name, String target) throws Exception {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK, true);
            e.setLinkName(target);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
        }

        void device(String name, int major, int minor) throws Exception {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_CHR, true);
            e.setDevMajor(major);
            e.setDevMinor(minor);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
        }
    }

    static byte[] tar(TarBody body) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            body.write(new TarBuilder(out));
        }
        return bytes.toByteArray();
    }
}
