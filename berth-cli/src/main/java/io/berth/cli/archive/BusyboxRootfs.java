package io.berth.cli.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A minimal root filesystem around the host's static busybox, as a reproducible tar: the same
 * binary and applet list give the same bytes (sorted entries, fixed times and owners).
 *
 * <pre>
 * bin/busybox            the host binary, 0755
 * bin/&lt;applet&gt;           symlink to busybox, one per `busybox --list`
 * dev/ proc/ sys/        empty mount points
 * etc/passwd etc/group   root, nobody, berth (uid/gid 1000)
 * etc/hosts              placeholder, the runtime mounts the real one
 * home/berth/ root/      home directories
 * tmp/                   1777
 * </pre>
 */
public final class BusyboxRootfs {

    public static final Instant MTIME = Instant.parse("2000-01-01T00:00:00Z");
    public static final List<String> CHANGES = List.of("CMD [\"sh\"]",
            "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            nobody:x:65534:65534:nobody:/nonexistent:/bin/false
            berth:x:1000:1000:berth:/home/berth:/bin/sh
            """;
    static final String GROUP = """
            root:x:0:
            nobody:x:65534:
            berth:x:1000:
            """;
    static final String HOSTS = """
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            """;

    private BusyboxRootfs() {}

    /** The first static busybox among the usual places. */
    public static Path findBusybox() throws IOException {
        for (String candidate : new String[] {"/bin/busybox", "/usr/bin/busybox"}) {
            Path p = Path.of(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException("no busybox found at /bin/busybox or /usr/bin/busybox (install busybox-static)");
    }

    /** Refuses a dynamically linked binary: it would not run in a rootfs without its libraries. */
    public static void requireStatic(byte[] elf, Path path) throws IOException {
        if (elf.length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F') {
            throw new IOException(path + " is not an ELF executable");
        }
        if (elf[4] != 2) {
            throw new IOException(path + " is not a 64-bit ELF executable");
        }
        ByteBuffer b = ByteBuffer.wrap(elf).order(elf[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        long phoff = b.getLong(0x20);
        int phentsize = Short.toUnsignedInt(b.getShort(0x36));
        int phnum = Short.toUnsignedInt(b.getShort(0x38));
        for (int i = 0; i < phnum; i++) {
            long at = phoff + (long) i * phentsize;
            if (at + 4 > elf.length) {
                break;
            }
            int type = b.getInt((int) at);
            if (type == 3) {
                throw new IOException(path + " is dynamically linked; a static busybox is needed (busybox-static)");
            }
        }
    }

    /** Runs {@code busybox --list}. */
    public static List<String> applets(Path busybox) throws IOException {
        Process p = new ProcessBuilder(busybox.toString(), "--list").redirectErrorStream(true).start();
        String text;
        try (InputStream in = p.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (p.waitFor() != 0) {
                throw new IOException(busybox + " --list failed: " + text.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String applet = line.strip();
            if (!applet.isEmpty() && !applet.contains("/") && !applet.equals("busybox")) {
                out.add(applet);
            }
        }
        return out;
    }

    private record Entry(String name, char type, int mode, int uid, int gid, byte[] content, String link) {}

    public static byte[] build(byte[] busybox, List<String> applets) throws IOException {
        List<Entry> entries = new ArrayList<>();
        entries.add(dir("bin", 0755, 0));
        entries.add(new Entry("bin/busybox", 'f', 0755, 0, 0, busybox, null));
        Set<String> unique = new TreeSet<>(applets);
        for (String applet : unique) {
            entries.add(new Entry("bin/" + applet, 'l', 0777, 0, 0, null, "busybox"));
        }
        entries.add(dir("dev", 0755, 0));
        entries.add(dir("etc", 0755, 0));
        entries.add(file("etc/group", GROUP));
        entries.add(file("etc/hosts", HOSTS));
        entries.add(file("etc/passwd", PASSWD));
        entries.add(dir("home", 0755, 0));
        entries.add(dir("home/berth", 0755, 1000));
        entries.add(dir("proc", 0555, 0));
        entries.add(dir("root", 0700, 0));
        entries.add(dir("sys", 0555, 0));
        entries.add(dir("tmp", 01777, 0));
        entries.sort(Comparator.comparing(Entry::name));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(busybox.length + 256 * 1024);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry t = switch (e.type()) {
                    case 'd' -> new TarArchiveEntry(e.name() + "/");
                    case 'l' -> {
                        TarArchiveEntry link = new TarArchiveEntry(e.name(), TarConstants.LF_SYMLINK);
                        link.setLinkName(e.link());
                        yield link;
                    }
                    default -> {
                        TarArchiveEntry f = new TarArchiveEntry(e.name());
                        f.setSize(e.content().length);
                        yield f;
                    }
                };
                t.setMode(e.mode() | switch (e.type()) {
                    case 'd' -> 040000;
                    case 'l' -> 0120000;
                    default -> 0100000;
                });
                t.setUserId(e.uid());
                t.setGroupId(e.gid());
                t.setUserName("");
                t.setGroupName("");
                t.setModTime(Date.from(MTIME));
                tar.putArchiveEntry(t);
                if (e.content() != null) {
                    tar.write(e.content());
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        return bytes.toByteArray();
    }

    private static Entry dir(String name, int mode, int owner) {
        return new Entry(name, 'd', mode, owner, owner, null, null);
    }

    private static Entry file(String name, String content) {
        return new Entry(name, 'f', 0644, 0, 0, content.getBytes(StandardCharsets.UTF_8), null);
    }
}
