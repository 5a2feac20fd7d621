package io.berth.cli.command;

/** The repository and tag parts of {@code [registry/]name[:tag][@digest]}, as docker splits them. */
public record ImageRef(String repository, String tag, String digest) {

    public static ImageRef parse(String ref) {
        String digest = null;
        int at = ref.indexOf('@');
        String rest = ref;
        if (at >= 0) {
            digest = ref.substring(at + 1);
            rest = ref.substring(0, at);
        }
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > slash) {
            return new ImageRef(rest.substring(0, colon), rest.substring(colon + 1), digest);
        }
        return new ImageRef(rest, null, digest);
    }

    /** The reference with ":latest" added when it names neither a tag nor a digest. */
    public String familiar() {
        if (digest != null) {
            return repository + (tag != null ? ":" + tag : "") + "@" + digest;
        }
        return repository + ":" + (tag == null ? "latest" : tag);
    }

    public String tagOrLatest() {
        return tag == null ? "latest" : tag;
    }
}
