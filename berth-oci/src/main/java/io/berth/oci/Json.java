package io.berth.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.berth.oci.errors.InvalidArgumentException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The one configured Jackson mapper for image metadata. Unknown fields are ignored on read (registries and
 * other engines add fields freely), nulls are left out on write, and map keys are sorted so that the bytes
 * written for a value are always the same: berth hashes what it writes.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Json() {
    }

    /** The shared mapper; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Compact JSON with a stable field order (record component order, sorted map keys). */
    public static byte[] canonicalBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static String toString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static <T> T read(byte[] json, Class<T> type) {
        return read(json, type, type.getSimpleName());
    }

    /** Parses {@code json}; malformed input becomes {@code InvalidArgumentException("invalid JSON in what: ...")}. */
    public static <T> T read(byte[] json, Class<T> type, String what) {
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new InvalidArgumentException("invalid JSON in " + what + ": null");
            }
            return value;
        } catch (IOException | IllegalArgumentException e) {
            throw invalid(what, e);
        }
    }

    public static <T> T read(byte[] json, TypeReference<T> type, String what) {
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new InvalidArgumentException("invalid JSON in " + what + ": null");
            }
            return value;
        } catch (IOException | IllegalArgumentException e) {
            throw invalid(what, e);
        }
    }

    public static <T> T read(InputStream json, Class<T> type) {
        return read(json, type, type.getSimpleName());
    }

    public static <T> T read(InputStream json, Class<T> type, String what) {
        byte[] bytes;
        try {
            bytes = json.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + what, e);
        }
        return read(bytes, type, what);
    }

    private static InvalidArgumentException invalid(String what, Exception e) {
        // Validation failures inside record constructors (e.g. a bad digest) arrive wrapped by Jackson.
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof InvalidArgumentException)) {
            cause = cause.getCause();
        }
        String detail = cause instanceof InvalidArgumentException iae ? iae.getMessage()
                : e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        return new InvalidArgumentException("invalid JSON in " + what + ": " + detail, e);
    }
}
