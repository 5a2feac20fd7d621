package io.berth.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The compose-spec's own examples (13-merge.md, 12-interpolation.md) as a table: inputs and the model they give. */
class SpecExamplesTest {
    @TempDir
    Path dir;

    static Stream<Arguments> merges() {
        return Stream.of(
                Arguments.of("mapping",
                        "services:\n  foo:\n    key1: value1\n    key2: value2\n",
                        "services:\n  foo:\n    key2: VALUE\n    key3: value3\n",
                        "services:\n  foo:\n    key1: value1\n    key2: VALUE\n    key3: value3\n"),
                Arguments.of("sequence",
                        "services:\n  foo:\n    DNS:\n      - 1.1.1.1\n",
                        "services:\n  foo:\n    DNS:\n      - 8.8.8.8\n",
                        "services:\n  foo:\n    DNS:\n      - 1.1.1.1\n      - 8.8.8.8\n"),
                Arguments.of("shell commands",
                        "services:\n  foo:\n    command: [\"echo\", \"foo\"]\n",
                        "services:\n  foo:\n    command: [\"echo\", \"bar\"]\n",
                        "services:\n  foo:\n    command: [\"echo\", \"bar\"]\n"),
                Arguments.of("unique resources",
                        "services:\n  foo:\n    volumes:\n      - {type: volume, source: foo, target: /work}\n",
                        "services:\n  foo:\n    volumes:\n      - {type: volume, source: bar, target: /work}\n",
                        "services:\n  foo:\n    volumes:\n      - {type: volume, source: bar, target: /work}\n"),
                Arguments.of("reset",
                        "services:\n  app:\n    image: myapp\n    ports: [{target: 80, published: \"8080\"}]\n    environment:\n      FOO: BAR\n",
                        "services:\n  app:\n    image: myapp\n    ports: !reset []\n    environment:\n      FOO: !reset null\n",
                        "services:\n  app:\n    image: myapp\n    environment: {}\n"),
                Arguments.of("override",
                        "services:\n  app:\n    image: myapp\n    ports: [{target: 80, published: \"8080\"}]\n",
                        "services:\n  app:\n    ports: !override\n      - {target: 443, published: \"8443\"}\n",
                        "services:\n  app:\n    image: myapp\n    ports: [{target: 443, published: \"8443\"}]\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("merges")
    void mergeExamples(String name, String base, String override, String expected) {
        ObjectNode merged = Merge.mappings((ObjectNode) YamlTree.parse(base, "base"), (ObjectNode) YamlTree.parse(override, "override"), "");
        assertThat(merged).isEqualTo(YamlTree.parse(expected, "expected"));
    }

    static Stream<Arguments> interpolations() {
        return Stream.of(
                Arguments.of("${VARIABLE:-default}", Map.of("VARIABLE", ""), "default"),
                Arguments.of("${VARIABLE-default}", Map.of("VARIABLE", ""), ""),
                Arguments.of("${VARIABLE:-${FOO}}", Map.of("FOO", "foo"), "foo"),
                Arguments.of("${VARIABLE?$FOO}", Map.of("VARIABLE", "v", "FOO", "foo"), "v"),
                Arguments.of("${VARIABLE:-${FOO:-default}}", Map.of(), "default"),
                Arguments.of("$$VAR_NOT_INTERPOLATED_BY_COMPOSE", Map.of("VAR_NOT_INTERPOLATED_BY_COMPOSE", "x"), "$VAR_NOT_INTERPOLATED_BY_COMPOSE"),
                Arguments.of("a$-b", Map.of(), "a$-b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("interpolations")
    void interpolationExamples(String in, Map<String, String> env, String out) {
        assertThat(Interpolation.interpolate(in, env::get, "t")).isEqualTo(out);
    }

    @Test
    void requiredVariableMessageIsInterpolatedToo() {
        assertThatThrownBy(() -> Interpolation.interpolate("${VARIABLE?$FOO}", Map.of("FOO", "set FOO")::get, "t"))
                .hasMessage("required variable VARIABLE is missing a value: set FOO");
    }

    @Test
    void keysAreNotInterpolatedButTheEqualsSyntaxIs() throws IOException {
        Files.writeString(dir.resolve("compose.yaml"), """
                services:
                  foo:
                    image: x
                    labels:
                      "$VAR_NOT_INTERPOLATED_BY_COMPOSE": "BAR"
                  bar:
                    image: x
                    labels:
                      - "$VAR_INTERPOLATED_BY_COMPOSE=BAR"
                """);
        Project p = ProjectLoader.load(LoadOptions.of(dir, Map.of("VAR_NOT_INTERPOLATED_BY_COMPOSE", "no", "VAR_INTERPOLATED_BY_COMPOSE", "yes"))
                .withFiles("compose.yaml"));
        JsonNode foo = p.service("foo").get("labels");
        assertThat(foo.has("$VAR_NOT_INTERPOLATED_BY_COMPOSE")).isTrue();
        assertThat(p.service("bar").get("labels").get("yes").asText()).isEqualTo("BAR");
    }
}
