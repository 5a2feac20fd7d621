package io.berth.build.exec;

import io.berth.oci.Digest;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The http(s) source of an ADD: downloaded by berthd on the host's network (as dockerd and BuildKit do, not in
 * a RUN container) into a private file under the build's temp directory, with the digest of what arrived. The
 * file is what ADD copies: mode 0600 as Docker gives a downloaded file, never unpacked even if it is an archive,
 * and named after the URL path's last segment when the destination is a directory. A git source is refused by
 * name: berth has no git on the daemon's side. The layer cache keys on the content (CopyPlan's source key), so
 * a download that did not change reuses the layer, as Docker's classic builder does.
 *
 * @param file     the downloaded content
 * @param fileName the name it takes inside a destination directory; null when the URL gives none
 * @param size     its length in bytes
 */
record RemoteSource(Path file, String fileName, long size) {
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.*|^git@.*");
    private static final Pattern DISPOSITION_NAME = Pattern.compile("filename=\"?([^\";]+)\"?");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /** True for a source word that names a remote location rather than a path in the context. */
    static boolean isRemote(String source) {
        return SCHEME.matcher(source).matches();
    }

    /**
     * Downloads {@code source} into {@code tmpDir}; with {@code checksum} ("sha256:HEX"), content with another
     * digest fails the step and is deleted.
     */
    static RemoteSource download(String source, String checksum, Path tmpDir) {
        URI uri = httpUri(source);
        Digest expected = checksum == null ? null : parseChecksum(checksum);
        HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        Path file = null;
        try (client) {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() / 100 != 2) {
                    throw new InvalidArgumentException("ADD " + source + ": the server answered HTTP " + response.statusCode());
                }
                Files.createDirectories(tmpDir);
                file = Files.createTempFile(tmpDir, "add-url-", "");
                Digest actual = copyDigesting(body, file);
                if (expected != null && !expected.equals(actual)) {
                    throw new InvalidArgumentException("ADD " + source + ": digest mismatch: the content is " + actual
                            + ", --checksum asked for " + expected);
                }
                String name = fileName(uri, response.headers().firstValue("Content-Disposition").orElse(""));
                RemoteSource downloaded = new RemoteSource(file, name, Files.size(file));
                file = null; // handed over: the plan deletes it with its other temp files
                return downloaded;
            }
        } catch (IOException e) {
            throw new InvalidArgumentException("ADD " + source + ": cannot download: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SystemFailureException("ADD " + source + ": interrupted while downloading", e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // under the build's temp directory, which the build removes as a whole
                }
            }
        }
    }

    private static URI httpUri(String source) {
        String lower = source.toLowerCase(Locale.ROOT);
        if (lower.startsWith("git@") || lower.startsWith("git://") || lower.endsWith(".git")
                || lower.contains(".git#")) {
            throw new InvalidArgumentException("ADD " + source + ": git sources are not supported by berth's builder; "
                    + "clone the repository into the build context instead");
        }
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw new InvalidArgumentException("ADD " + source + ": only http and https URLs can be downloaded");
        }
        try {
            URI uri = new URI(source);
            if (uri.getHost() == null) throw new URISyntaxException(source, "no host");
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidArgumentException("ADD " + source + ": invalid URL: " + e.getMessage());
        }
    }

    static Digest parseChecksum(String checksum) {
        if (!checksum.startsWith(Digest.SHA256 + ":") || !Digest.isValid(checksum)) {
            throw new InvalidArgumentException("invalid checksum " + checksum + ": expected sha256:<64 hex digits>");
        }
        return Digest.parse(checksum);
    }

    private static Digest copyDigesting(InputStream in, Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                out.write(buf, 0, n);
            }
        }
        return new Digest(Digest.SHA256, HexFormat.of().formatHex(md.digest()));
    }

    /**
     * The URL path's last segment, else the name a Content-Disposition header gives (moby's order); null when
     * neither gives one. A name that could leave the destination directory ("..", a slash) is not a name.
     */
    static String fileName(URI uri, String contentDisposition) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            Matcher m = DISPOSITION_NAME.matcher(contentDisposition);
            if (m.find()) name = m.group(1).trim();
        }
        boolean unusable = name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\0");
        return unusable ? null : name;
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
