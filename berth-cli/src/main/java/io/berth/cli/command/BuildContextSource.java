package io.berth.cli.command;

import io.berth.cli.CliException;
import io.berth.cli.archive.ArchiveSniffer;
import io.berth.cli.archive.BuildContextArchive;
import io.berth.cli.archive.BuildContextArchive.HiddenDockerfile;
import io.berth.cli.archive.TarPipe;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Where {@code build PATH|-} takes its context from, and the Dockerfile name to send along:
 * <ul>
 *   <li>a directory: archived whole; {@code -f} is relative to the working directory as in docker, a Dockerfile
 *       outside the context (or {@code -f -}, from stdin) is added under a random hidden name;</li>
 *   <li>{@code -}: stdin, a tar (possibly compressed) sent as is, or else a lone Dockerfile.</li>
 * </ul>
 *
 * @param dockerfile the Dockerfile's path inside the tar; null leaves the choice to the daemon ("Dockerfile")
 */
record BuildContextSource(InputStream tar, String dockerfile) {

    private static final String DEFAULT_DOCKERFILE = "Dockerfile";

    static BuildContextSource open(String context, String file, InputStream stdin, Path workDir) throws IOException {
        if (context.equals("-")) {
            if ("-".equals(file)) {
                throw new CliException(1, "invalid argument: can't use stdin for both build context and dockerfile");
            }
            return fromStdin(file, stdin);
        }
        Path root = workDir.resolve(context).normalize();
        if (!Files.exists(root)) {
            throw new CliException(1, "unable to prepare context: path \"" + context + "\" not found");
        }
        if (!Files.isDirectory(root)) {
            throw new CliException(1, "unable to prepare context: context must be a directory: " + root);
        }
        Path realRoot = root.toRealPath();
        if (file == null) {
            return directory(realRoot, null, null);
        }
        if (file.equals("-")) {
            return directory(realRoot, null, stdin.readAllBytes());
        }
        Path dockerfile = workDir.resolve(file).normalize();
        if (!Files.exists(dockerfile)) {
            throw new CliException(1, "unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat "
                    + dockerfile + ": no such file or directory");
        }
        Path realDockerfile = dockerfile.toRealPath();
        if (realDockerfile.startsWith(realRoot)) {
            return directory(realRoot, realRoot.relativize(realDockerfile).toString().replace('\\', '/'), null);
        }
        return directory(realRoot, null, Files.readAllBytes(realDockerfile));
    }

    private static BuildContextSource directory(Path root, String dockerfile, byte[] hiddenDockerfile) throws IOException {
        HiddenDockerfile hidden = hiddenDockerfile == null ? null : new HiddenDockerfile(hiddenName(), hiddenDockerfile);
        InputStream tar = TarPipe.of(out -> BuildContextArchive.write(root, hidden, out));
        return new BuildContextSource(tar, hidden != null ? hidden.name() : dockerfile);
    }

    private static BuildContextSource fromStdin(String file, InputStream stdin) throws IOException {
        byte[] head = stdin.readNBytes(ArchiveSniffer.HEADER_SIZE);
        if (ArchiveSniffer.isArchive(head, head.length)) {
            return new BuildContextSource(new SequenceInputStream(new ByteArrayInputStream(head), stdin), file);
        }
        byte[] rest = stdin.readAllBytes();
        byte[] dockerfile = new byte[head.length + rest.length];
        System.arraycopy(head, 0, dockerfile, 0, head.length);
        System.arraycopy(rest, 0, dockerfile, head.length, rest.length);
        InputStream tar = TarPipe.of(out -> BuildContextArchive.writeSingle(DEFAULT_DOCKERFILE, dockerfile, out));
        return new BuildContextSource(tar, DEFAULT_DOCKERFILE);
    }

    /** docker names it ".dockerfile.<random>"; berth uses its own prefix so the origin is recognisable. */
    private static String hiddenName() {
        byte[] random = new byte[10];
        new SecureRandom().nextBytes(random);
        return ".berth-dockerfile-" + HexFormat.of().formatHex(random);
    }
}
