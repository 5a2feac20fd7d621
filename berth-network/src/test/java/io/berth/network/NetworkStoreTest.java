package io.berth.network;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.oci.errors.NotFoundException;

class NetworkStoreTest {
    @TempDir Path root;

    static Network named(String name, String id) {
        return new Network(name, id, "2026-01-01T00:00:00Z", "bridge", false,
                List.of(new IpamConfig("10.1.0.0/24", null, "10.1.0.1")), false, false, Map.of(), Map.of("k", "v"), "berth1", true);
    }

    @Test
    void findsByIdNameAndUniquePrefix() {
        NetworkStore s = NetworkStore.open(root.resolve("networks"));
        s.put(named("one", "ab" + "0".repeat(62)));
        s.put(named("two", "ac" + "0".repeat(62)));
        assertEquals("one", s.get("ab" + "0".repeat(62)).name());
        assertEquals("two", s.get("two").name());
        assertEquals("one", s.get("ab").name());
        var e = assertThrows(NotFoundException.class, () -> s.get("a"));
        assertTrue(e.getMessage().contains("ambiguous"), e.getMessage());
        assertEquals("network nope not found", assertThrows(NotFoundException.class, () -> s.get("nope")).getMessage());
    }

    @Test
    void aNameThatLooksLikeAnotherIdPrefixIsTheNamedNetwork() {
        NetworkStore s = NetworkStore.open(root.resolve("networks"));
        s.put(named("one", "ab" + "0".repeat(62)));
        s.put(named("ab", "cd" + "0".repeat(62)));
        assertEquals("ab", s.get("ab").name());
    }

    @Test
    void survivesReopenSweepsTempFilesAndKeepsFilesPrivate() throws Exception {
        Path dir = root.resolve("networks");
        NetworkStore s = NetworkStore.open(dir);
        Network n = named("one", "e".repeat(64));
        s.put(n);
        Path stray = dir.resolve(".tmp-" + "f".repeat(64) + ".json-123");
        Files.writeString(stray, "{half");
        NetworkStore again = NetworkStore.open(dir);
        assertEquals(n, again.get("one"));
        assertFalse(Files.exists(stray));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(n.id() + ".json"))));
        again.remove(n.id());
        assertTrue(NetworkStore.open(dir).list().isEmpty());
    }
}
