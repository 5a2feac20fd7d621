package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The codec must build the trees ObjectMapper.readTree builds and write the text JsonNode.toString writes. */
class JsonTreeTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "[]",
        "null",
        "true",
        "\"plain\"",
        "{\"Id\":\"abc\",\"Warnings\":[],\"Nested\":{\"a\":[1,2,{\"b\":null}],\"c\":false}}",
        "[0,-1,2147483647,2147483648,-2147483649,9223372036854775807,9223372036854775808,-99999999999999999999]",
        "[1.5,-0.0,1e3,2.5E-7,1.7976931348623157E308,0.1,123456789.123456789]",
        "{\"esc\":\"quote\\\" backslash\\\\ slash\\/ tab\\t nl\\n cr\\r bs\\b ff\\f nul\\u0000 del\\u007f\"}",
        "{\"uni\":\"caf\\u00e9 \u00e9t\u00e9 \u4e2d\u6587 \ud83d\udc33 \\ud83d\\udc33 \\u2028\"}",
        "{\"dup\":1,\"dup\":{\"x\":2}}",
        "{\"k\u00e9y \\\"q\\\"\":[\"\",\" \"]}",
    })
    void readsAndWritesAsObjectMapperDoes(String json) throws Exception {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        JsonNode expected = MAPPER.readTree(bytes);
        JsonNode tree = JsonTree.parse(bytes);
        assertThat(tree).isEqualTo(expected);
        assertThat(classesOf(tree)).isEqualTo(classesOf(expected));
        assertThat(JsonTree.write(tree)).isEqualTo(expected.toString());
        assertThat(JsonTree.parse(JsonTree.write(tree).getBytes(StandardCharsets.UTF_8))).isEqualTo(tree);
    }

    @Test
    void writesBuiltTreesAsToStringDoes() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("Image", "busybox").put("Tty", false).putNull("Entrypoint");
        body.put("Short", (short) 7).put("Long", 1L << 40).put("Float", 0.25f).put("Double", 1.0 / 3);
        body.put("Big", new BigInteger("123456789012345678901234567890")).put("Decimal", new BigDecimal("1.50"));
        body.putArray("Cmd").add("sh").add("-c").add("echo \"$HOME\" </tmp> & \u00e9");
        body.putObject("HostConfig").putObject("PortBindings");
        body.putObject("Labels").put("com.example/x", "\u0001\u001f");
        assertThat(JsonTree.write(body)).isEqualTo(body.toString());
    }

    @Test
    void emptyInputIsAMissingNodeAndTrailingTextIsIgnored() throws Exception {
        assertThat(JsonTree.parse(" \n".getBytes(StandardCharsets.UTF_8)).isMissingNode()).isTrue();
        assertThat(JsonTree.parse("{\"a\":1} trailing".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(MAPPER.readTree("{\"a\":1} trailing"));
    }

    /** Whatever ObjectMapper refuses is refused: JSON from a daemon is untrusted input. */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\":", "{\"a\" 1}", "[1,[", "[1,]", "{\"a\":1,}", "{a:1}", "{'a':1}", "[01]", "[1.]", "[.5]", "[1e]", "[-]",
        "[+1]", "[tru]", "[truex]", "[nul]", "[NaN]", "[Infinity]", "\"\\x\"", "\"\\u12\"", "\"tab\there\"", "\"open",
        "[1 2]", "{\"a\":1 \"b\":2}", "// comment\n1",
    })
    void refusesWhatObjectMapperRefuses(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        boolean mapperRefuses;
        try {
            MAPPER.readerFor(JsonNode.class).readValues(bytes).readAll();
            mapperRefuses = false;
        } catch (java.io.IOException | RuntimeException e) {
            mapperRefuses = true;
        }
        assertThat(mapperRefuses).as("ObjectMapper refuses " + json).isTrue();
        assertThatThrownBy(() -> {
            var reader = JsonTree.reader(new ByteArrayInputStream(bytes));
            while (reader.hasNext()) {
                reader.next();
            }
        }).isInstanceOf(java.io.IOException.class);
    }

    /** A top-level number must end at whitespace or the end: "01" is no 0 followed by 1 (Jackson's root-space rule). */
    @ParameterizedTest
    @ValueSource(strings = {"01", "-01", "00", "1-2", "0x10", "1]", "1,2", "1x", "1.5e3x", "2\"a\""})
    void refusesATopLevelNumberRunningIntoMoreAsObjectMapperDoes(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> MAPPER.readTree(bytes)).as("ObjectMapper refuses " + json).isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> JsonTree.parse(bytes)).isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> {
            var reader = JsonTree.reader(new ByteArrayInputStream(bytes));
            while (reader.hasNext()) {
                reader.next();
            }
        }).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void refusesMalformedUtf8AndDepthBeyondJacksonsLimit() {
        assertThatThrownBy(() -> JsonTree.parse(new byte[] {'"', (byte) 0xc3, '"'})).isInstanceOf(java.io.IOException.class);
        String deep = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);
        assertThatThrownBy(() -> JsonTree.parse(deep.getBytes(StandardCharsets.UTF_8))).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("nesting");
        String fine = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        assertThat(java.util.stream.Stream.of(fine).allMatch(f -> {
            try {
                return JsonTree.parse(f.getBytes(StandardCharsets.UTF_8)).isArray();
            } catch (java.io.IOException e) {
                return false;
            }
        })).isTrue();
    }

    /** The reason it exists: reading an answer initialises no BigDecimal (~19 ms of a cold JVM's CPU on JDK 25). */
    @Test
    void readingInitialisesNoBigDecimal() throws Exception {
        List<String> command = List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+init=info", "-cp", System.getProperty("java.class.path"), ParseOnce.class.getName());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("parsed 3").doesNotContain("java/math/BigDecimal");
    }

    /** One JSON answer read in a JVM of its own, as a CLI call reads it. */
    static final class ParseOnce {
        public static void main(String[] args) throws Exception {
            JsonNode node = JsonTree.parse("{\"Id\":\"e\",\"ExitCode\":0,\"Pid\":12345678901,\"F\":[1.5,true,null]}"
                    .getBytes(StandardCharsets.UTF_8));
            System.out.println("parsed " + node.path("F").size());
        }
    }

    @Test
    void missingAndPojoNodesAreNotWritten() {
        assertThatThrownBy(() -> JsonTree.write(JsonNodeFactory.instance.missingNode())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonTree.write(JsonNodeFactory.instance.pojoNode(new Object())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsConsecutiveValuesOfAStream() throws Exception {
        String stream = "{\"status\":\"a\"}\r\n{\"status\":\"b\",\"progressDetail\":{}}\n\n[1]\"x\" 2";
        var reader = JsonTree.reader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)));
        List<JsonNode> values = new ArrayList<>();
        while (reader.hasNext()) {
            values.add(reader.next());
        }
        assertThat(values).containsExactlyElementsOf(MAPPER.readerFor(JsonNode.class)
                .<JsonNode>readValues(stream).readAll());
    }

    /** Node classes of the whole tree in document order: IntNode vs LongNode vs DoubleNode etc. */
    private static List<String> classesOf(JsonNode node) {
        List<String> out = new ArrayList<>();
        out.add(node.getClass().getSimpleName());
        node.forEach(child -> out.addAll(classesOf(child)));
        return out;
    }
}
