package io.berth.runtime;

import io.berth.linux.AtomicFile;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Persists each container as containers/&lt;id&gt;/container.json. A write goes to a temp file that is fsynced
 * and renamed over the old one, so after a crash the file is either the old or the new version, never a mix.
 */
final class ContainerStore {
    static final ObjectMapper JSON = mapper();

    private final Path dataRoot;
    private final Path execRoot;
    private final Path containersDir;

    ContainerStore(Path dataRoot, Path execRoot) {
        this.dataRoot = dataRoot;
        this.execRoot = execRoot;
        this.containersDir = dataRoot.resolve("containers");
        try {
            Files.createDirectories(containersDir);
        } catch (IOException e) {
            throw new SystemFailureException("creating " + containersDir, e);
        }
    }

    private static ObjectMapper mapper() {
        SimpleModule time = new SimpleModule("berth-instant");
        time.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(v.toString());
            }
        });
        time.addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return Instant.parse(p.getValueAsString());
            }
        });
        return JsonMapper.builder()
                .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .addModule(time)
                .build();
    }

    void save(Container c) {
        Path file = c.paths().stateFile();
        try {
            // 0600: the state holds the container's environment, secrets included.
            AtomicFile.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(c), AtomicFile.OWNER_ONLY);
        } catch (IOException e) {
            throw new SystemFailureException("saving container " + c.id() + ": " + e.getMessage(), e);
        }
    }

    /** Every container with a readable container.json; unreadable ones are skipped (and reported by the caller's log). */
    List<Container> loadAll() {
        List<Container> out = new ArrayList<>();
        ContainerTrash.sweep(containersDir);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(containersDir, d -> !ContainerTrash.isTrash(d))) {
            for (Path d : dirs) {
                Path f = d.resolve("container.json");
                if (!Files.isRegularFile(f)) continue;
                try {
                    JsonNode document = JSON.readTree(f.toFile());
                    FlatSpecMigration.upgrade(document);
                    Container c = JSON.treeToValue(document, Container.class);
                    // where its files are follows from the roots this daemon runs with, not from the document
                    out.add(c.withPaths(ContainerPaths.load(dataRoot, execRoot, c.id())));
                } catch (IOException e) {
                    System.err.println("berth-runtime: skipping unreadable " + f + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new SystemFailureException("listing " + containersDir, e);
        }
        return out;
    }
}
