package io.berth.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Reads Jackson trees with {@link JsonReader} and writes them with jackson-core's generator. The CLI is a
 * short-lived process: an {@code ObjectMapper} (which {@code readTree} and even {@code JsonNode.toString}
 * build behind the scenes) costs tens of milliseconds of class initialisation and deserializer
 * lookup per run, more than the whole exchange with the daemon. The trees are the ones
 * {@code ObjectMapper.readTree} builds (int, long or big integer nodes for integers, double nodes
 * for fractions, the last of duplicate keys) and the text is the one {@code toString} writes.
 */
public final class JsonTree {

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonTree() {}

    /** The first JSON value of the bytes; a missing node when they hold none, as {@code readTree} answers. */
    public static JsonNode parse(byte[] json) throws IOException {
        try (JsonReader reader = JsonReader.of(new ByteArrayInputStream(json))) {
            return reader.hasNext() ? reader.next() : MissingNode.getInstance();
        }
    }

    /** A reader of consecutive JSON values, as a stream of progress messages or events brings them. */
    static JsonReader reader(InputStream in) {
        return JsonReader.of(in);
    }

    /** The compact JSON text of the tree, as {@code JsonNode.toString()} writes it. */
    public static String write(JsonNode node) {
        StringWriter text = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(text)) {
            write(generator, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void write(JsonGenerator g, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> property : node.properties()) {
                    g.writeFieldName(property.getKey());
                    write(g, property.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode element : node) {
                    write(g, element);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(node.textValue());
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> g.writeNumber(node.intValue());
                    case LONG -> g.writeNumber(node.longValue());
                    case BIG_INTEGER -> g.writeNumber(node.bigIntegerValue());
                    case FLOAT -> g.writeNumber(node.floatValue());
                    case DOUBLE -> g.writeNumber(node.doubleValue());
                    case BIG_DECIMAL -> g.writeNumber(node.decimalValue());
                }
            }
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case NULL -> g.writeNull();
            case BINARY, POJO, MISSING -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
    }
}
