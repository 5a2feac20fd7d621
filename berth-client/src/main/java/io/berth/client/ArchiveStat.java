package io.berth.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;

/** The {@code X-Docker-Container-Path-Stat} header: base64 of a JSON path description. */
public record ArchiveStat(String name, long size, long mode, String mtime, String linkTarget) {

    /** Go's os.ModeDir bit, as the daemon encodes file modes. */
    public static final long MODE_DIR = 1L << 31;
    public static final long MODE_SYMLINK = 1L << 27;

    public boolean isDirectory() {
        return (mode & MODE_DIR) != 0;
    }

    static ArchiveStat decode(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JsonTree.parse(Base64.getDecoder().decode(header.trim()));
            return new ArchiveStat(node.path("name").asText(""), node.path("size").asLong(),
                    node.path("mode").asLong(), node.path("mtime").asText(""), node.path("linkTarget").asText(""));
        } catch (java.io.IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
