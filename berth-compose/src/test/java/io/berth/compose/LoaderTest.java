package io.berth.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The loader against small projects written to a temp dir: what {@code config} would print, or the error. */
class LoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private Project load(Map<String, String> env, String... files) {
        return ProjectLoader.load(LoadOptions.of(dir, env).withFiles(files));
    }

    private Project load(String... files) {
        return load(Map.of(), files);
    }

    @Test
    void findsComposeYamlAndItsOverrideAndNamesTheProjectAfterTheNormalisedDirectory() throws IOException {
        Path app = dir.resolve("My_App.v2");
        Files.createDirectories(app.resolve("sub"));
        Files.writeString(app.resolve("compose.yaml"), "services:\n  web:\n    image: busybox\n");
        Files.writeString(app.resolve("compose.override.yaml"), "services:\n  web:\n    command: [\"true\"]\n");
        Project p = ProjectLoader.load(LoadOptions.of(app.resolve("sub"), Map.of()));
        assertThat(p.name()).isEqualTo("my_appv2");
        assertThat(p.configFiles()).containsExactly(app.resolve("compose.yaml"), app.resolve("compose.override.yaml"));
        assertThat(p.service("web").get("command").toString()).isEqualTo("[\"true\"]");
        assertThat(p.model().at("/networks/default/name").asText()).isEqualTo("my_appv2_default");
        assertThat(p.service("web").at("/networks").has("default")).isTrue();
    }

    @Test
    void projectNamePrecedenceIsFlagThenEnvironmentThenTopLevelNameThenDirectory() throws IOException {
        write("compose.yaml", "name: fromfile\nservices:\n  a:\n    image: x\n");
        assertThat(load("compose.yaml").name()).isEqualTo("fromfile");
        assertThat(load(Map.of("COMPOSE_PROJECT_NAME", "fromenv"), "compose.yaml").name()).isEqualTo("fromenv");
        assertThat(ProjectLoader.load(LoadOptions.of(dir, Map.of("COMPOSE_PROJECT_NAME", "fromenv"))
                .withFiles("compose.yaml").withProjectName("flag")).name()).isEqualTo("flag");
        assertThatThrownBy(() -> ProjectLoader.load(LoadOptions.of(dir, Map.of()).withFiles("compose.yaml").withProjectName("Bad Name")))
                .hasMessageContaining("invalid project name \"Bad Name\"");
        assertThat(ProjectLoader.normaliseName("-_Hello World.1")).isEqualTo("helloworld1");
    }

    static Stream<Arguments> interpolations() {
        return Stream.of(
                Arguments.of("${A}", "a"),
                Arguments.of("$A-x", "a-x"),
                Arguments.of("${UNSET:-def}", "def"),
                Arguments.of("${EMPTY:-def}", "def"),
                Arguments.of("${EMPTY-def}", ""),
                Arguments.of("${UNSET-def}", "def"),
                Arguments.of("${A:+alt}", "alt"),
                Arguments.of("${EMPTY:+alt}", ""),
                Arguments.of("${EMPTY+alt}", "alt"),
                Arguments.of("${UNSET+alt}", ""),
                Arguments.of("$$A", "$A"),
                Arguments.of("$${A}", "${A}"),
                Arguments.of("${UNSET:-${A}}", "a"),
                Arguments.of("${UNSET:-x${A}y}", "xay"),
                Arguments.of("${A:?must}", "a"),
                Arguments.of("cost: 5$", "cost: 5$"));
    }

    @ParameterizedTest
    @MethodSource("interpolations")
    void interpolatesAsTheSpecSays(String in, String out) {
        Map<String, String> env = Map.of("A", "a", "EMPTY", "");
        assertThat(Interpolation.interpolate(in, env::get, "test")).isEqualTo(out);
    }

    @Test
    void requiredVariablesFailWithTheirMessage() {
        Map<String, String> env = Map.of("EMPTY", "");
        assertThatThrownBy(() -> Interpolation.interpolate("${X:?X is needed}", env::get, "t"))
                .hasMessage("required variable X is missing a value: X is needed");
        assertThatThrownBy(() -> Interpolation.interpolate("${EMPTY:?}", env::get, "t"))
                .hasMessage("required variable EMPTY is missing a value");
        assertThat(Interpolation.interpolate("${EMPTY?err}", env::get, "t")).isEmpty();
        assertThatThrownBy(() -> Interpolation.interpolate("${A", env::get, "t")).hasMessageContaining("invalid interpolation format");
    }

    @Test
    void dotEnvFeedsInterpolationAndTheProcessEnvironmentWins() throws IOException {
        write(".env", "# comment\nTAG=1.0\nexport PORT=8080\nQUOTED=\"a b\" \nSINGLE='$TAG'\nREF=${TAG}-x\n");
        write("compose.yaml", """
                services:
                  web:
                    image: "busybox:${TAG}"
                    ports: ["${PORT}:80"]
                    environment:
                      Q: $QUOTED
                      S: $SINGLE
                      R: ${REF}
                      MISSING: ${NOPE}
                """);
        Project p = load(Map.of("PORT", "9090"), "compose.yaml");
        JsonNode web = p.service("web");
        assertThat(web.get("image").asText()).isEqualTo("busybox:1.0");
        assertThat(web.at("/ports/0/published").asText()).isEqualTo("9090");
        assertThat(web.at("/environment/Q").asText()).isEqualTo("a b");
        assertThat(web.at("/environment/S").asText()).isEqualTo("$TAG");
        assertThat(web.at("/environment/R").asText()).isEqualTo("1.0-x");
        assertThat(web.at("/environment/MISSING").asText()).isEmpty();
        assertThat(p.warnings()).contains("The \"NOPE\" variable is not set. Defaulting to a blank string.");
    }

    @Test
    void envFileOptionReplacesDotEnv() throws IOException {
        write(".env", "TAG=dot\n");
        write("other.env", "TAG=other\n");
        write("compose.yaml", "services:\n  a:\n    image: x:${TAG}\n");
        Project p = ProjectLoader.load(LoadOptions.of(dir, Map.of()).withFiles("compose.yaml").withEnvFiles("other.env"));
        assertThat(p.service("a").get("image").asText()).isEqualTo("x:other");
    }

    @Test
    void aTypoedKeyIsRefusedWithItsPath() throws IOException {
        write("compose.yaml", "services:\n  web:\n    imagee: busybox\n");
        assertThatThrownBy(() -> load("compose.yaml"))
                .hasMessage("validating " + dir.resolve("compose.yaml") + ": services.web.imagee: additional property not allowed");
        write("top.yaml", "servicess:\n  web: {}\n");
        assertThatThrownBy(() -> load("top.yaml")).hasMessageEndingWith(": servicess: additional property not allowed");
        write("type.yaml", "services:\n  web:\n    image: x\n    ports: 80\n");
        assertThatThrownBy(() -> load("type.yaml")).hasMessageContaining("services.web.ports must be a array");
        write("bad.yaml", "services:\n  web:\n    image: [x\n");
        assertThatThrownBy(() -> load("bad.yaml")).hasMessageStartingWith("parsing " + dir.resolve("bad.yaml"));
    }

    @Test
    void yamlIsReadWithTheCoreSchemaAnchorsAndMergeKeys() throws IOException {
        write("compose.yaml", """
                x-common: &common
                  image: busybox
                  environment:
                    ON: on
                    YES: yes
                services:
                  a:
                    <<: *common
                    labels: {n: 0x1F}
                  b:
                    <<: *common
                    image: other
                """);
        Project p = load("compose.yaml");
        assertThat(p.service("a").get("image").asText()).isEqualTo("busybox");
        assertThat(p.service("b").get("image").asText()).isEqualTo("other");
        assertThat(p.service("a").at("/environment/ON").asText()).isEqualTo("on");
        assertThat(p.service("a").at("/environment/YES").asText()).isEqualTo("yes");
        assertThat(p.service("a").at("/labels/n").asText()).isEqualTo("31");
        assertThat(p.model().has("x-common")).isTrue();
    }

    @Test
    void severalFilesMergeAsTheMergeSpecSays() throws IOException {
        write("compose.yaml", """
                services:
                  foo:
                    image: foo
                    command: ["echo", "foo"]
                    environment: [A=1, B=2]
                    ports: ["8080:80", "9090:90"]
                    volumes: ["foo:/work", "./data:/data"]
                    dns: [1.1.1.1]
                    labels: {keep: "1"}
                volumes:
                  foo: {}
                  bar: {}
                """);
        write("override.yaml", """
                services:
                  foo:
                    command: ["echo", "bar"]
                    environment: {B: "3", C: "4"}
                    ports: ["8081:80", "9090:90/udp"]
                    volumes: ["bar:/work"]
                    dns: [8.8.8.8, 1.1.1.1]
                    labels: !reset {}
                """);
        JsonNode foo = load("compose.yaml", "override.yaml").service("foo");
        assertThat(foo.get("command").toString()).isEqualTo("[\"echo\",\"bar\"]");
        assertThat(foo.get("environment").toString()).isEqualTo("{\"A\":\"1\",\"B\":\"3\",\"C\":\"4\"}");
        assertThat(foo.get("ports")).hasSize(4);
        assertThat(foo.get("volumes")).hasSize(2);
        assertThat(foo.at("/volumes/0/source").asText()).isEqualTo("bar");
        assertThat(foo.at("/volumes/1/source").asText()).isEqualTo(dir.resolve("data").toString());
        assertThat(foo.get("dns").toString()).isEqualTo("[\"1.1.1.1\",\"8.8.8.8\"]");
        assertThat(foo.has("labels")).isFalse();
    }

    @Test
    void overrideTagReplacesInsteadOfMerging() throws IOException {
        write("a.yaml", "services:\n  app:\n    image: myapp\n    ports: [\"8080:80\"]\n");
        write("b.yaml", "services:\n  app:\n    ports: !override\n      - \"8443:443\"\n");
        JsonNode app = load("a.yaml", "b.yaml").service("app");
        assertThat(app.get("ports")).hasSize(1);
        assertThat(app.at("/ports/0/target").asInt()).isEqualTo(443);
    }

    @Test
    void portsShortSyntaxBecomesLongSyntax() {
        var out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        for (String s : List.of("80", "8080:80", "127.0.0.1:8081:81/udp", "9000-9001:90-91", "[::1]:7000:70", "127.0.0.1::82")) {
            Ports.normalise(com.fasterxml.jackson.databind.node.TextNode.valueOf(s), out);
        }
        assertThat(out.toString()).isEqualTo("["
                + "{\"mode\":\"ingress\",\"target\":80,\"protocol\":\"tcp\"},"
                + "{\"mode\":\"ingress\",\"target\":80,\"published\":\"8080\",\"protocol\":\"tcp\"},"
                + "{\"mode\":\"ingress\",\"host_ip\":\"127.0.0.1\",\"target\":81,\"published\":\"8081\",\"protocol\":\"udp\"},"
                + "{\"mode\":\"ingress\",\"target\":90,\"published\":\"9000\",\"protocol\":\"tcp\"},"
                + "{\"mode\":\"ingress\",\"target\":91,\"published\":\"9001\",\"protocol\":\"tcp\"},"
                + "{\"mode\":\"ingress\",\"host_ip\":\"::1\",\"target\":70,\"published\":\"7000\",\"protocol\":\"tcp\"},"
                + "{\"mode\":\"ingress\",\"host_ip\":\"127.0.0.1\",\"target\":82,\"protocol\":\"tcp\"}]");
        assertThatThrownBy(() -> Ports.normalise(com.fasterxml.jackson.databind.node.TextNode.valueOf("1-3:1-2"), out))
                .hasMessageContaining("port ranges don't match");
    }

    @Test
    void extendsTakesTheBaseFromThisFileOrAnotherWithItsPathsRelativeToIt() throws IOException {
        write("common/base.yaml", """
                services:
                  base:
                    image: base
                    environment: {A: "1"}
                    volumes: ["./cfg:/cfg"]
                """);
        write("compose.yaml", """
                services:
                  mid:
                    extends: {file: common/base.yaml, service: base}
                    environment: {B: "2"}
                  web:
                    extends: mid
                    command: run
                """);
        JsonNode web = load("compose.yaml").service("web");
        assertThat(web.get("image").asText()).isEqualTo("base");
        assertThat(web.get("environment").toString()).isEqualTo("{\"A\":\"1\",\"B\":\"2\"}");
        assertThat(web.at("/volumes/0/source").asText()).isEqualTo(dir.resolve("common/cfg").toString());
        assertThat(web.has("extends")).isFalse();
        write("loop.yaml", "services:\n  a:\n    extends: b\n    image: x\n  b:\n    extends: a\n");
        assertThatThrownBy(() -> load("loop.yaml")).hasMessageContaining("circular reference with extends");
        write("missing.yaml", "services:\n  a:\n    extends: nope\n");
        assertThatThrownBy(() -> load("missing.yaml")).hasMessageContaining("service \"nope\" not found");
    }

    @Test
    void profilesEnableServicesByFlagEnvironmentOrSelection() throws IOException {
        write("compose.yaml", """
                services:
                  web: {image: x}
                  debug: {image: x, profiles: [debug]}
                  tools: {image: x, profiles: [tools, debug]}
                """);
        assertThat(load("compose.yaml").serviceNames()).containsExactly("web");
        assertThat(ProjectLoader.load(LoadOptions.of(dir, Map.of()).withFiles("compose.yaml").withProfiles("debug")).serviceNames())
                .containsExactly("debug", "tools", "web");
        assertThat(load(Map.of("COMPOSE_PROFILES", "tools"), "compose.yaml").serviceNames()).containsExactly("tools", "web");
        assertThat(ProjectLoader.load(LoadOptions.of(dir, Map.of()).withFiles("compose.yaml").withSelectedServices(List.of("debug")))
                .serviceNames()).containsExactly("debug", "web");
        assertThat(load(Map.of("COMPOSE_PROFILES", "*"), "compose.yaml").serviceNames()).hasSize(3);
    }

    @Test
    void includeBringsAnotherProjectsResourcesWithItsOwnDirectory() throws IOException {
        write("db/compose.yaml", "services:\n  db:\n    image: db:${DB_TAG}\n    volumes: [\"./init:/init\", \"data:/var/lib\"]\nvolumes:\n  data: {}\n");
        write("db/.env", "DB_TAG=16\n");
        write("compose.yaml", "include:\n  - db/compose.yaml\nservices:\n  web:\n    image: web\n    depends_on: [db]\n");
        Project p = load("compose.yaml");
        assertThat(p.serviceNames()).containsExactly("db", "web");
        assertThat(p.service("db").get("image").asText()).isEqualTo("db:16");
        assertThat(p.service("db").at("/volumes/0/source").asText()).isEqualTo(dir.resolve("db/init").toString());
        assertThat(p.model().at("/volumes/data/name").asText()).isEqualTo(p.name() + "_data");
        assertThat(p.service("web").at("/depends_on/db/condition").asText()).isEqualTo("service_started");
    }

    @Test
    void envFileEntriesGoIntoEnvironmentUnderTheServicesOwn() throws IOException {
        write("web.env", "A=from-file\nB=from-file\n");
        write("compose.yaml", "services:\n  web:\n    image: x\n    env_file: web.env\n    environment: [B=own, HOME_ONLY]\n");
        JsonNode web = load(Map.of("HOME_ONLY", "h"), "compose.yaml").service("web");
        assertThat(web.get("environment").toString()).isEqualTo("{\"A\":\"from-file\",\"B\":\"own\",\"HOME_ONLY\":\"h\"}");
        write("bad.yaml", "services:\n  web:\n    image: x\n    env_file: nope.env\n");
        assertThatThrownBy(() -> load("bad.yaml")).hasMessageContaining("env file " + dir.resolve("nope.env") + " not found");
    }

    @Test
    void referencesToUndefinedServicesNetworksAndVolumesAreErrors() throws IOException {
        write("a.yaml", "services:\n  web:\n    image: x\n    depends_on: [db]\n");
        assertThatThrownBy(() -> load("a.yaml")).hasMessage("service \"web\" depends on undefined service \"db\": invalid compose project");
        write("b.yaml", "services:\n  web:\n    image: x\n    volumes: [\"data:/d\"]\n");
        assertThatThrownBy(() -> load("b.yaml")).hasMessage("service \"web\" refers to undefined volume data: invalid compose project");
        write("c.yaml", "services:\n  web:\n    image: x\n    networks: [back]\n");
        assertThatThrownBy(() -> load("c.yaml")).hasMessage("service \"web\" refers to undefined network back: invalid compose project");
    }

    @Test
    void startOrderPutsDependenciesFirstAndRefusesCycles() throws IOException {
        write("compose.yaml", "services:\n  web: {image: x, depends_on: [api]}\n  api: {image: x, depends_on: {db: {condition: service_healthy}}}\n  db: {image: x}\n");
        Project p = load("compose.yaml");
        assertThat(p.startOrder(List.of())).containsExactly("db", "api", "web");
        assertThat(p.startOrder(List.of("api"))).containsExactly("db", "api");
        write("cycle.yaml", "services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [a]}\n");
        assertThatThrownBy(() -> load("cycle.yaml").startOrder(List.of())).hasMessageContaining("dependency cycle");
    }

    @Test
    void anEnvFileFormatAndTopLevelModelsAreRefusedByName() throws IOException {
        write("raw.env", "A=1\n");
        write("compose.yaml", "services:\n  web:\n    image: x\n    env_file: [{path: raw.env, format: raw}]\n");
        assertThatThrownBy(() -> load("compose.yaml")).hasMessage("service \"web\": \"env_file.format\" is not supported by berth compose (see docs/compose.md)");
        write("models.yaml", "services:\n  web: {image: x}\nmodels:\n  llm: {model: ai/smollm2}\n");
        assertThatThrownBy(() -> load("models.yaml")).hasMessageContaining("\"models\" is not supported by berth compose");
    }

    @Test
    void unknownYamlTagsAreRefused() throws IOException {
        write("compose.yaml", "services:\n  web:\n    image: !custom x\n");
        assertThatThrownBy(() -> load("compose.yaml")).hasMessageContaining("unsupported YAML tag !custom");
    }

    @Test
    void envFileSyntax() {
        Map<String, String> outer = new HashMap<>(Map.of("OUTER", "o"));
        Map<String, String> vars = EnvFile.parse("A=1\nB = two # comment\nC=\"multi\nline\"\nD='lit $A'\nE=${A}${OUTER}\nOUTER\n", "t", outer::get);
        assertThat(vars).containsExactly(Map.entry("A", "1"), Map.entry("B", "two"), Map.entry("C", "multi\nline"),
                Map.entry("D", "lit $A"), Map.entry("E", "1o"), Map.entry("OUTER", "o"));
    }
}
