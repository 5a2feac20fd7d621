package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import io.berth.cli.CliException;
import io.berth.cli.archive.BusyboxRootfs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** berth's own {@code image make-busybox}: a base image from the host's static busybox, imported through the API. */
@Command(name = "make-busybox", description = "Create a busybox image from the host's static busybox binary")
public final class MakeBusyboxCommand extends ApiCommand {

    @Option(names = "--busybox", paramLabel = "path", description = "busybox binary to use (default /bin/busybox or /usr/bin/busybox)")
    Path busybox;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(arity = "0..1", paramLabel = "REF", defaultValue = "busybox:latest")
    String reference;

    @Override
    public Integer call() {
        byte[] tar;
        try {
            Path binary = busybox != null ? busybox : BusyboxRootfs.findBusybox();
            byte[] bytes = Files.readAllBytes(binary);
            BusyboxRootfs.requireStatic(bytes, binary);
            tar = BusyboxRootfs.build(bytes, BusyboxRootfs.applets(binary));
        } catch (IOException e) {
            throw new CliException(1, "make-busybox: " + e.getMessage());
        }
        ImageRef ref = ImageRef.parse(reference);
        client().importImage(new ByteArrayInputStream(tar), ref.repository(), ref.tagOrLatest(), BusyboxRootfs.CHANGES,
                "berth make-busybox", stdoutProgress());
        return 0;
    }
}
