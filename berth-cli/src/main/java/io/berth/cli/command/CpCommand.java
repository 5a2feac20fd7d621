package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import io.berth.cli.CliException;
import io.berth.cli.archive.TarExtractor;
import io.berth.cli.archive.TreeArchiver;
import io.berth.cli.format.Humanize;
import io.berth.client.ArchiveStat;
import io.berth.client.EngineClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cp}: copies between a container and the local filesystem as tar streams over the archive
 * API. Naming follows docker: copying onto an existing directory puts the source inside it,
 * copying onto a new path gives the copy that name; {@code -} streams a tar on stdin or stdout.
 */
@Command(name = "cp", description = "Copy files/folders between a container and the local filesystem",
        customSynopsis = {"berth cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-", "berth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH"})
public final class CpCommand extends ApiCommand {

    @Option(names = {"-a", "--archive"}, description = "Archive mode (copy all uid/gid information)")
    boolean archive;

    @Option(names = {"-L", "--follow-link"}, description = "Always follow symbol link in SRC_PATH")
    boolean followLink;

    @Option(names = {"-q", "--quiet"}, description = "Suppress progress output during copy")
    boolean quiet;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(index = "0", paramLabel = "SRC")
    String source;

    @Parameters(index = "1", paramLabel = "DEST")
    String destination;

    /** A cp argument: {@code container} is null for a local path. */
    record Location(String container, String path) {
        static Location parse(String arg) {
            if (arg.startsWith("/") || arg.startsWith(".") || arg.equals("-")) {
                return new Location(null, arg);
            }
            int colon = arg.indexOf(':');
            if (colon <= 0) {
                return new Location(null, arg);
            }
            return new Location(arg.substring(0, colon), arg.substring(colon + 1));
        }
    }

    @Override
    public Integer call() throws IOException {
        Location src = Location.parse(source);
        Location dst = Location.parse(destination);
        if (src.container() != null && dst.container() != null) {
            throw new CliException(1, "copying between containers is not supported");
        }
        if (src.container() == null && dst.container() == null) {
            throw new CliException(1, "must specify at least one container source");
        }
        if (src.container() != null) {
            copyFromContainer(src, dst.path());
        } else {
            copyToContainer(src.path(), dst);
        }
        return 0;
    }

    private void copyFromContainer(Location src, String localPath) throws IOException {
        String containerPath = src.path().isEmpty() ? "/" : src.path();
        EngineClient.Archive fetched = client().getArchive(src.container(), containerPath);
        try (var response = fetched.response()) {
            if (localPath.equals("-")) {
                response.body().transferTo(out());
                out().flush();
                return;
            }
            ArchiveStat stat = fetched.stat();
            String rootName = stat != null && !stat.name().isEmpty() ? stat.name() : Path.of(containerPath).getFileName().toString();
            Path dest = Path.of(localPath).toAbsolutePath();
            boolean sourceIsDir = stat != null && stat.isDirectory();
            if (Files.isDirectory(dest)) {
                if (containerPath.endsWith("/.")) {
                    TarExtractor.extract(response.body(), dest, rootName, "", archive);
                } else {
                    TarExtractor.extract(response.body(), dest, null, null, archive);
                }
            } else {
                if (localPath.endsWith("/")) {
                    throw new CliException(1, "destination directory \"" + localPath + "\" does not exist");
                }
                if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS) && sourceIsDir) {
                    throw new CliException(1, "cannot copy a directory to a file: \"" + localPath + "\"");
                }
                Path parent = dest.getParent();
                if (!Files.isDirectory(parent)) {
                    throw new CliException(1, "no such directory: \"" + parent + "\"");
                }
                TarExtractor.extract(response.body(), parent, rootName, dest.getFileName().toString(), archive);
            }
            reportCopied(stat == null ? 0 : stat.size(), localPath);
        }
    }

    private void copyToContainer(String localPath, Location dst) throws IOException {
        EngineClient client = client();
        String containerPath = dst.path().isEmpty() ? "/" : dst.path();
        if (localPath.equals("-")) {
            client.putArchive(dst.container(), containerPath, in(), true, archive);
            return;
        }
        Path src = Path.of(localPath).toAbsolutePath();
        if (followLink) {
            src = src.toRealPath();
        }
        if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS)) {
            throw new CliException(1, "stat " + localPath + ": no such file or directory");
        }
        boolean sourceIsDir = Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS);
        ArchiveStat target = client.statPath(dst.container(), containerPath);
        String rootName;
        String putPath;
        if (target != null && target.isDirectory()) {
            rootName = localPath.endsWith("/.") ? null : src.getFileName().toString();
            putPath = containerPath;
        } else {
            if (target != null && sourceIsDir) {
                throw new CliException(1, "cannot copy directory");
            }
            if (target == null && containerPath.endsWith("/")) {
                throw new CliException(1, "Error response from daemon: Could not find the file " + containerPath
                        + " in container " + dst.container());
            }
            Path cp = Path.of(containerPath);
            rootName = cp.getFileName() == null ? src.getFileName().toString() : cp.getFileName().toString();
            putPath = cp.getParent() == null ? "/" : cp.getParent().toString();
        }
        Path root = localPath.endsWith("/.") ? src.normalize() : src;
        long size = sourceIsDir ? 0 : Files.size(src);
        PipedOutputStream producer = new PipedOutputStream();
        InputStream tar = new PipedInputStream(producer, 64 * 1024);
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (producer) {
                TreeArchiver.write(root, rootName, producer);
            } catch (IOException e) {
                failure.set(e);
            }
        });
        try {
            client.putArchive(dst.container(), putPath, tar, true, archive);
        } finally {
            tar.close();
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure.get() != null) {
            throw new UncheckedIOException(failure.get());
        }
        reportCopied(size, destination);
    }

    /** docker prints the summary only when stderr is a terminal (and -q is not given). */
    private void reportCopied(long size, String where) {
        if (!quiet && io().terminal().test(2)) {
            err().println("Successfully copied " + Humanize.size(size) + " to " + where);
        }
    }
}
