package io.berth.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache of models that passed the schema: a hit skips the validator, an invalid model is never recorded. */
class ValidatedModelsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonNode json(String s) throws IOException {
        return JSON.readTree(s);
    }

    private long entries(Path d) throws IOException {
        if (!Files.isDirectory(d)) return 0;
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    @Test
    void aValidModelIsRecordedAndAnInvalidOneIsReportedEveryTime() throws IOException {
        ValidatedModels cache = ValidatedModels.in(Map.of("XDG_CACHE_HOME", dir.toString()));
        Path entriesDir = dir.resolve("berth/compose-valid");
        ComposeSchema.validate(json("{\"services\":{\"web\":{\"image\":\"x\"}}}"), "a.yaml", cache);
        assertThat(entries(entriesDir)).isEqualTo(1);
        assertThat(Files.getPosixFilePermissions(entriesDir)).hasSize(3); // rwx for the owner only
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> ComposeSchema.validate(json("{\"services\":{\"web\":{\"imagee\":\"x\"}}}"), "b.yaml", cache))
                    .hasMessage("validating b.yaml: services.web.imagee: additional property not allowed");
        }
        assertThat(entries(entriesDir)).isEqualTo(1);
    }

    @Test
    void aRecordedDigestSkipsTheValidator() throws IOException {
        JsonNode invalid = json("{\"services\":{\"web\":{\"imagee\":\"x\"}}}");
        ValidatedModels cache = new ValidatedModels(dir);
        cache.add(ValidatedModels.digest(invalid)); // as if it had passed: the validator is not asked again
        ComposeSchema.validate(invalid, "c.yaml", cache);
        assertThatThrownBy(() -> ComposeSchema.validate(json("{\"services\":{\"web\":{\"imagee\":\"y\"}}}"), "c.yaml", cache))
                .hasMessageContaining("imagee");
    }

    @Test
    void withoutAHomeOrWhenFullTheCacheStaysBounded() throws IOException {
        ValidatedModels none = ValidatedModels.in(Map.of());
        none.add("00");
        assertThat(none.contains("00")).isFalse();
        ValidatedModels cache = new ValidatedModels(dir.resolve("c"));
        for (int i = 0; i < ValidatedModels.LIMIT + 3; i++) cache.add("d" + i);
        assertThat(entries(dir.resolve("c"))).isLessThanOrEqualTo(ValidatedModels.LIMIT);
        assertThat(cache.contains("d" + (ValidatedModels.LIMIT + 2))).isTrue();
    }

    @Test
    void theCommandWordFollowsComposesGlobalOptions() {
        assertThat(ComposeCli.commandWord(new String[] {"-f", "a.yaml", "-p", "x", "--profile", "db", "up", "-d"})).isEqualTo("up");
        assertThat(ComposeCli.commandWord(new String[] {"--file=a.yaml", "--progress", "plain", "ps"})).isEqualTo("ps");
        assertThat(ComposeCli.commandWord(new String[] {"--help"})).isNull();
    }
}
