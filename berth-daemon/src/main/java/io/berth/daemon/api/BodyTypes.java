package io.berth.daemon.api;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.oci.errors.InvalidArgumentException;

/**
 * The JSON types of the Engine API's JSON bodies (container create, exec create and start), checked before
 * anything reads them. Docker decodes the
 * body into typed Go structs, so `"Memory":"lots"`, `"Memory":1.5` or a number beyond int64 is a 400 naming
 * the field; Jackson's lenient readers (asLong, asText) would turn them into 0, a truncation or a wrapped value.
 * null is allowed everywhere, as in Go (the field keeps its zero value). Fields not listed are not checked here.
 */
final class BodyTypes {
    enum Kind { STRING, BOOL, INT64, INT32, UINT16, STRINGS, STRING_OR_STRINGS, STRING_MAP, OBJECT, ARRAY }

    private static final Map<String, Kind> CONFIG = Map.ofEntries(
            Map.entry("Hostname", Kind.STRING), Map.entry("Domainname", Kind.STRING), Map.entry("User", Kind.STRING),
            Map.entry("AttachStdin", Kind.BOOL), Map.entry("AttachStdout", Kind.BOOL), Map.entry("AttachStderr", Kind.BOOL),
            Map.entry("Tty", Kind.BOOL), Map.entry("OpenStdin", Kind.BOOL), Map.entry("StdinOnce", Kind.BOOL),
            Map.entry("Env", Kind.STRINGS), Map.entry("Cmd", Kind.STRING_OR_STRINGS),
            Map.entry("Entrypoint", Kind.STRING_OR_STRINGS), Map.entry("Image", Kind.STRING),
            Map.entry("Labels", Kind.STRING_MAP), Map.entry("WorkingDir", Kind.STRING),
            Map.entry("StopSignal", Kind.STRING), Map.entry("StopTimeout", Kind.INT32),
            Map.entry("NetworkDisabled", Kind.BOOL), Map.entry("ExposedPorts", Kind.OBJECT),
            Map.entry("Volumes", Kind.OBJECT), Map.entry("Healthcheck", Kind.OBJECT), Map.entry("ArgsEscaped", Kind.BOOL),
            Map.entry("OnBuild", Kind.STRINGS), Map.entry("Shell", Kind.STRINGS), Map.entry("MacAddress", Kind.STRING),
            Map.entry("HostConfig", Kind.OBJECT), Map.entry("NetworkingConfig", Kind.OBJECT));

    private static final Map<String, Kind> HOST_CONFIG = Map.ofEntries(
            Map.entry("Memory", Kind.INT64), Map.entry("MemorySwap", Kind.INT64),
            Map.entry("MemoryReservation", Kind.INT64), Map.entry("MemorySwappiness", Kind.INT64),
            Map.entry("KernelMemory", Kind.INT64), Map.entry("NanoCpus", Kind.INT64), Map.entry("CpuShares", Kind.INT64),
            Map.entry("CpuPeriod", Kind.INT64), Map.entry("CpuQuota", Kind.INT64),
            Map.entry("CpuRealtimePeriod", Kind.INT64), Map.entry("CpuRealtimeRuntime", Kind.INT64),
            Map.entry("CpusetCpus", Kind.STRING), Map.entry("CpusetMems", Kind.STRING),
            Map.entry("PidsLimit", Kind.INT64), Map.entry("ShmSize", Kind.INT64), Map.entry("OomScoreAdj", Kind.INT64),
            Map.entry("OomKillDisable", Kind.BOOL), Map.entry("BlkioWeight", Kind.UINT16),
            Map.entry("Privileged", Kind.BOOL), Map.entry("ReadonlyRootfs", Kind.BOOL), Map.entry("Init", Kind.BOOL),
            Map.entry("AutoRemove", Kind.BOOL), Map.entry("PublishAllPorts", Kind.BOOL),
            Map.entry("CapAdd", Kind.STRING_OR_STRINGS), Map.entry("CapDrop", Kind.STRING_OR_STRINGS),
            Map.entry("SecurityOpt", Kind.STRINGS), Map.entry("Binds", Kind.STRINGS), Map.entry("Dns", Kind.STRINGS),
            Map.entry("DnsOptions", Kind.STRINGS), Map.entry("DnsSearch", Kind.STRINGS),
            Map.entry("ExtraHosts", Kind.STRINGS), Map.entry("GroupAdd", Kind.STRINGS), Map.entry("Links", Kind.STRINGS),
            Map.entry("VolumesFrom", Kind.STRINGS), Map.entry("Runtime", Kind.STRING),
            Map.entry("NetworkMode", Kind.STRING), Map.entry("IpcMode", Kind.STRING), Map.entry("PidMode", Kind.STRING),
            Map.entry("UTSMode", Kind.STRING), Map.entry("UsernsMode", Kind.STRING),
            Map.entry("CgroupnsMode", Kind.STRING), Map.entry("CgroupParent", Kind.STRING),
            Map.entry("RestartPolicy", Kind.OBJECT), Map.entry("Tmpfs", Kind.STRING_MAP),
            Map.entry("Sysctls", Kind.STRING_MAP), Map.entry("StorageOpt", Kind.STRING_MAP),
            Map.entry("Ulimits", Kind.ARRAY), Map.entry("Mounts", Kind.ARRAY), Map.entry("Devices", Kind.ARRAY),
            Map.entry("ConsoleSize", Kind.ARRAY), Map.entry("LogConfig", Kind.OBJECT),
            Map.entry("PortBindings", Kind.OBJECT));

    private static final Map<String, Kind> RESTART_POLICY = Map.of(
            "Name", Kind.STRING, "MaximumRetryCount", Kind.INT32);

    private static final Map<String, Kind> EXEC = Map.ofEntries(
            Map.entry("User", Kind.STRING), Map.entry("Privileged", Kind.BOOL), Map.entry("Tty", Kind.BOOL),
            Map.entry("ConsoleSize", Kind.ARRAY), Map.entry("AttachStdin", Kind.BOOL), Map.entry("AttachStdout", Kind.BOOL),
            Map.entry("AttachStderr", Kind.BOOL), Map.entry("DetachKeys", Kind.STRING), Map.entry("Env", Kind.STRINGS),
            Map.entry("WorkingDir", Kind.STRING), Map.entry("Cmd", Kind.STRING_OR_STRINGS));

    private static final Map<String, Kind> EXEC_START = Map.of(
            "Detach", Kind.BOOL, "Tty", Kind.BOOL, "ConsoleSize", Kind.ARRAY);

    private BodyTypes() {}

    /** Container create: InvalidArgumentException naming the first field of the wrong JSON type or range. */
    static void create(JsonNode body) {
        requireObject(body);
        check(body, "", CONFIG);
        JsonNode host = body.get("HostConfig");
        if (host != null && host.isObject()) {
            check(host, "HostConfig.", HOST_CONFIG);
            JsonNode restart = host.get("RestartPolicy");
            if (restart != null && restart.isObject()) check(restart, "HostConfig.RestartPolicy.", RESTART_POLICY);
        }
    }

    /** Exec create. */
    static void exec(JsonNode body) {
        requireObject(body);
        check(body, "", EXEC);
    }

    /** Exec start: the body may be absent. */
    static void execStart(JsonNode body) {
        if (body == null || body.isMissingNode()) return;
        requireObject(body);
        check(body, "", EXEC_START);
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) throw new InvalidArgumentException("invalid JSON: expected an object");
    }

    private static void check(JsonNode object, String prefix, Map<String, Kind> fields) {
        fields.forEach((name, kind) -> {
            JsonNode v = object.get(name);
            if (v != null && !v.isNull()) check(prefix + name, kind, v);
        });
    }

    static void check(String field, Kind kind, JsonNode v) {
        boolean ok = switch (kind) {
            case STRING -> v.isTextual();
            case BOOL -> v.isBoolean();
            // Go refuses 1.5 and 1e3 for an integer field, as it refuses "5": only an integer literal is one.
            case INT64 -> v.isIntegralNumber() && v.canConvertToLong();
            case INT32 -> v.isIntegralNumber() && v.canConvertToInt();
            case UINT16 -> v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= 0 && v.intValue() <= 0xFFFF;
            case STRINGS -> v.isArray() && allText(v);
            case STRING_OR_STRINGS -> v.isTextual() || (v.isArray() && allText(v));
            case STRING_MAP -> v.isObject() && allText(v);
            case OBJECT -> v.isObject();
            case ARRAY -> v.isArray();
        };
        if (!ok) {
            String expected = switch (kind) {
                case INT64 -> "an integer that fits in int64";
                case INT32 -> "an integer that fits in int32";
                case UINT16 -> "an integer from 0 to 65535";
                case STRING -> "a string";
                case BOOL -> "a boolean";
                case STRINGS -> "a list of strings";
                case STRING_OR_STRINGS -> "a string or a list of strings";
                case STRING_MAP -> "an object of strings";
                case OBJECT -> "an object";
                case ARRAY -> "a list";
            };
            throw new InvalidArgumentException("invalid JSON: " + field + " must be " + expected + ", not " + describe(v));
        }
    }

    private static boolean allText(JsonNode container) {
        for (JsonNode e : container) if (!e.isTextual()) return false;
        return true;
    }

    private static String describe(JsonNode v) {
        if (v.isNumber()) return "the number " + v.asText();
        if (v.isTextual()) {
            String s = v.asText();
            return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
        }
        return v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
}
