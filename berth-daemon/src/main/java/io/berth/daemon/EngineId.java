package io.berth.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;

import io.berth.linux.AtomicFile;

/**
 * The daemon's identity, /info's ID: a UUID kept in DATA-ROOT/engine-id (the file dockerd 23+ keeps in its data
 * root), made at the first start and then the same across restarts, so clients can tell daemons apart.
 */
final class EngineId {
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private EngineId() {
    }

    static String read(Path dataRoot) throws IOException {
        Path file = dataRoot.resolve("engine-id");
        try {
            String id = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (UUID_TEXT.matcher(id).matches()) return id;
        } catch (NoSuchFileException e) {
            // the first start: made below
        }
        // missing or damaged: a new identity, written whole (temp, fsync, rename)
        String id = UUID.randomUUID().toString();
        AtomicFile.write(file, (id + "\n").getBytes(StandardCharsets.UTF_8), AtomicFile.OWNER_ONLY);
        return id;
    }
}
