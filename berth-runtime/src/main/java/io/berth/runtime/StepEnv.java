package io.berth.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;

import io.berth.linux.AtomicFile;
import io.berth.oci.errors.SystemFailureException;

/**
 * The variables the steps of the current run added to the main process (link variables), kept in the bundle so
 * that an exec or a healthcheck in the running container gets them too, as Docker's do; rewritten at every start,
 * gone when the run added none.
 */
final class StepEnv {
    private StepEnv() {}

    static Path file(ContainerPaths p) {
        return p.bundleDir().resolve("step-env.json");
    }

    static void write(ContainerPaths p, List<String> env) throws IOException {
        if (env.isEmpty()) {
            Files.deleteIfExists(file(p));
            return;
        }
        AtomicFile.writeUnsynced(file(p), ContainerStore.JSON.writeValueAsBytes(env), AtomicFile.OWNER_ONLY);
    }

    static List<String> read(ContainerPaths p) {
        try {
            return ContainerStore.JSON.readValue(Files.readAllBytes(file(p)), new TypeReference<List<String>>() {});
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new SystemFailureException("reading " + file(p) + ": " + e.getMessage(), e);
        }
    }
}
