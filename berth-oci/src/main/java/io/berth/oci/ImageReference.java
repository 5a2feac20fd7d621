package io.berth.oci;

import io.berth.oci.errors.InvalidArgumentException;

import java.util.regex.Pattern;

/**
 * A normalised image reference, parsed the way Docker parses them:
 * <pre>
 *   busybox                  -> docker.io/library/busybox:latest
 *   host:5000/a/b:tag        -> host:5000/a/b:tag
 *   name@sha256:...          -> docker.io/library/name@sha256:... (no tag)
 * </pre>
 * The first path component is a registry domain only if it contains '.' or ':', is "localhost", or has
 * uppercase letters; repository paths must be lowercase.
 *
 * @param domain registry host (and port), never null
 * @param path   repository path below the domain, e.g. "library/busybox"
 * @param tag    tag, or null when only a digest was given
 * @param digest digest, or null
 */
public record ImageReference(String domain, String path, String tag, Digest digest) {
    public static final String DEFAULT_DOMAIN = "docker.io";
    public static final String DEFAULT_TAG = "latest";
    private static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
    private static final String OFFICIAL_PREFIX = "library/";
    private static final int MAX_NAME_LENGTH = 255;

    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
                    + "(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern ANONYMOUS_ID = Pattern.compile("[a-f0-9]{64}");

    public ImageReference {
        if (tag == null && digest == null) {
            tag = DEFAULT_TAG;
        }
    }

    /** Parses and normalises {@code text}; invalid references throw {@link InvalidArgumentException}. */
    public static ImageReference parse(String text) {
        if (text == null || text.isEmpty()) {
            throw invalid(text, "empty reference");
        }
        String remainder = text;
        Digest digest = null;
        int at = remainder.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(remainder.substring(at + 1));
            } catch (InvalidArgumentException e) {
                throw invalid(text, e.getMessage());
            }
            remainder = remainder.substring(0, at);
        }
        String tag = null;
        int colon = remainder.lastIndexOf(':');
        if (colon > remainder.lastIndexOf('/')) {
            tag = remainder.substring(colon + 1);
            remainder = remainder.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(text, "invalid tag");
            }
        }
        if (remainder.length() > MAX_NAME_LENGTH) {
            throw invalid(text, "repository name must not be more than " + MAX_NAME_LENGTH + " characters");
        }
        String domain;
        String path;
        int slash = remainder.indexOf('/');
        String first = slash < 0 ? "" : remainder.substring(0, slash);
        if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.equals(first.toLowerCase(java.util.Locale.ROOT)))) {
            domain = first;
            path = remainder.substring(slash + 1);
            if (!DOMAIN.matcher(domain).matches()) {
                throw invalid(text, "invalid registry domain");
            }
        } else {
            domain = DEFAULT_DOMAIN;
            path = remainder;
        }
        if (domain.equals(LEGACY_DEFAULT_DOMAIN)) {
            domain = DEFAULT_DOMAIN;
        }
        if (domain.equals(DEFAULT_DOMAIN) && !path.contains("/")) {
            path = OFFICIAL_PREFIX + path;
        }
        if (!path.equals(path.toLowerCase(java.util.Locale.ROOT))) {
            throw invalid(text, "repository name must be lowercase");
        }
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                throw invalid(text, "invalid repository name");
            }
        }
        if (ANONYMOUS_ID.matcher(remainder).matches()) {
            throw invalid(text, "cannot specify 64-byte hexadecimal strings as a repository name");
        }
        return new ImageReference(domain, path, tag, digest);
    }

    private static InvalidArgumentException invalid(String text, String reason) {
        return new InvalidArgumentException("invalid reference format: " + text + ": " + reason);
    }

    /** The full repository name, e.g. "docker.io/library/busybox". */
    public String name() {
        return domain + "/" + path;
    }

    /** The repository name as users write it, e.g. "busybox" or "host:5000/a/b". */
    public String familiarName() {
        if (!domain.equals(DEFAULT_DOMAIN)) {
            return name();
        }
        return path.startsWith(OFFICIAL_PREFIX) && path.indexOf('/', OFFICIAL_PREFIX.length()) < 0
                ? path.substring(OFFICIAL_PREFIX.length()) : path;
    }

    /** The reference as users write it, e.g. "busybox:latest". */
    public String familiar() {
        return familiarName() + suffix();
    }

    /** The fully qualified reference, e.g. "docker.io/library/busybox:latest". */
    public String canonical() {
        return name() + suffix();
    }

    public ImageReference withTag(String newTag) {
        if (!TAG.matcher(newTag).matches()) {
            throw invalid(newTag, "invalid tag");
        }
        return new ImageReference(domain, path, newTag, null);
    }

    public ImageReference withDigest(Digest newDigest) {
        return new ImageReference(domain, path, null, newDigest);
    }

    private String suffix() {
        return (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    @Override
    public String toString() {
        return canonical();
    }
}
