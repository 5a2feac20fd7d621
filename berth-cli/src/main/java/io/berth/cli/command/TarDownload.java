package io.berth.cli.command;

import io.berth.cli.CliException;
import io.berth.cli.Io;
import io.berth.client.HttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A tar the daemon streams (save, export) written to {@code -o FILE} or to STDOUT, never to a terminal. */
final class TarDownload {
    private TarDownload() {}

    static void write(HttpResponse response, Path output, Io io, String what) throws IOException {
        if (output == null) {
            OutputStream out = io.out();
            response.body().transferTo(out);
            out.flush();
            return;
        }
        // Written beside the target and renamed so a failed download leaves no partial archive.
        Path tmp = Files.createTempFile(output.toAbsolutePath().getParent(), ".berth-" + what, ".tar");
        try {
            Files.copy(response.body(), tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Docker's refusal to write binary data to a terminal. */
    static void refuseTerminal(Path output, Io io, String what) {
        if (output == null && io.stdoutIsTerminal()) {
            throw new CliException(1, "cowardly refusing to " + what + " to a terminal. Use the -o flag or redirect");
        }
    }
}
