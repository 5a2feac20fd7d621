package io.berth.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;

/**
 * The Compose Specification's JSON schema (vendored from compose-spec/compose-spec, Apache-2.0) applied
 * to each file after interpolation, so that a typo'd key is reported with its path as Compose does.
 */
final class ComposeSchema {
    private static final class Holder {
        static final Schema SCHEMA = load();
    }

    private ComposeSchema() {}

    private static Schema load() {
        try (InputStream in = ComposeSchema.class.getResourceAsStream("compose-spec.json")) {
            JsonNode schema = new ObjectMapper().readTree(in);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(
                    // the schema's relative $id needs a base; its $refs are all inside it, nothing is fetched
                    com.networknt.schema.SchemaLocation.of("classpath:io/berth/compose/compose_spec.json"), schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Throws with the first error (the shallowest path first, as it is usually the cause). */
    static void validate(JsonNode model, String source) {
        validate(model, source, new ValidatedModels(null));
    }

    /** As {@link #validate(JsonNode, String)}, skipping a model that passed before (and recording one that passes). */
    static void validate(JsonNode model, String source, ValidatedModels validated) {
        JsonNode plain = YamlMarkers.strip(model.deepCopy());
        String digest = ValidatedModels.digest(plain);
        if (validated.contains(digest)) return;
        Schema sc = Holder.SCHEMA;
        List<Error> errors = sc.validate(plain);
        if (errors.isEmpty()) {
            validated.add(digest);
            return;
        }
        Error first = errors.stream()
                .sorted(Comparator.comparingInt((Error e) -> e.getKeyword().equals("additionalProperties") ? 0 : 1)
                        .thenComparingInt(e -> e.getInstanceLocation().getNameCount()))
                .findFirst().orElseThrow();
        throw new ComposeException("validating " + source + ": " + describe(first));
    }

    static String describe(Error e) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < e.getInstanceLocation().getNameCount(); i++) {
            Object element = e.getInstanceLocation().getElement(i);
            if (element instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                if (!path.isEmpty()) path.append('.');
                path.append(element);
            }
        }
        String where = path.isEmpty() ? "(root)" : path.toString();
        return switch (e.getKeyword()) {
            case "additionalProperties" -> (path.isEmpty() ? "" : where + ".") + e.getProperty() + ": additional property not allowed";
            case "type" -> where + " must be a " + e.getSchemaNode().toString().replace("\"", "").replace(",", " or ")
                    .replace("[", "").replace("]", "");
            case "required" -> where + ": " + e.getProperty() + " is required";
            default -> where + ": " + stripLocation(e.getMessage());
        };
    }

    private static String stripLocation(String message) {
        // networknt prefixes the instance location ("/services/web: ..."); the path is already said
        int colon = message.indexOf(": ");
        return message.startsWith("/") && colon > 0 ? message.substring(colon + 2) : message;
    }
}
