package io.berth.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A minimal image rootfs for privileged tests: the host's static busybox, its applet links, passwd and group. */
final class BusyboxRootfs {
    private BusyboxRootfs() {}

    static Path create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("bin"));
        for (String d : new String[] {"etc", "proc", "sys", "dev", "tmp", "root", "home/user", "usr/bin", "sbin"}) {
            Files.createDirectories(dir.resolve(d));
        }
        Path busybox = dir.resolve("bin/busybox");
        Files.copy(Path.of("/bin/busybox"), busybox, StandardCopyOption.REPLACE_EXISTING);
        busybox.toFile().setExecutable(true, false);
        Process p = new ProcessBuilder("/bin/busybox", "--list").start();
        String list = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        for (String applet : list.split("\n")) {
            applet = applet.trim();
            if (applet.isEmpty() || applet.equals("busybox")) continue;
            Path link = dir.resolve("bin").resolve(applet);
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, Path.of("busybox"));
        }
        Files.writeString(dir.resolve("etc/passwd"),
                "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        Files.writeString(dir.resolve("etc/group"), "root:x:0:\nuser:x:1000:\nstaff:x:50:user\nnogroup:x:65534:\n");
        return dir;
    }
}
