package io.berth.daemon.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.build.dockerfile.HealthcheckConfig;
import io.berth.daemon.http.ApiJson;
import io.berth.oci.ContainerConfig;
import io.berth.oci.errors.InvalidArgumentException;

/**
 * The `changes` of `docker import -c` and `docker commit -c`: Dockerfile instructions that only touch the image
 * config (CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, VOLUME, STOPSIGNAL, ONBUILD, HEALTHCHECK, as Docker
 * takes them); HEALTHCHECK goes through the builder's parser and conversion.
 */
public final class ImportChanges {
    private ImportChanges() {}

    public static ContainerConfig apply(List<String> changes) {
        String user = null, workingDir = null, stopSignal = null;
        JsonNode healthcheck = null;
        List<String> cmd = null, entrypoint = null, env = new ArrayList<>(), onBuild = null;
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, Map<String, Object>> ports = new LinkedHashMap<>(), volumes = new LinkedHashMap<>();
        for (String change : changes) {
            String line = change.strip();
            if (line.isEmpty()) continue;
            int space = line.indexOf(' ');
            String instruction = (space < 0 ? line : line.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
            String rest = space < 0 ? "" : line.substring(space + 1).strip();
            switch (instruction) {
                case "CMD" -> cmd = commandForm(rest);
                case "ENTRYPOINT" -> entrypoint = commandForm(rest);
                case "ENV" -> env.addAll(keyValues(rest, true));
                case "LABEL" -> keyValues(rest, false).forEach(kv -> labels.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1)));
                case "WORKDIR" -> workingDir = rest;
                case "USER" -> user = rest;
                case "STOPSIGNAL" -> stopSignal = rest;
                case "EXPOSE" -> { for (String p : rest.split("\\s+")) ports.put(p.contains("/") ? p : p + "/tcp", Map.of()); }
                case "VOLUME" -> (rest.startsWith("[") ? commandForm(rest) : List.of(rest.split("\\s+"))).forEach(v -> volumes.put(v, Map.of()));
                case "ONBUILD" -> { if (onBuild == null) onBuild = new ArrayList<>(); onBuild.add(rest); }
                case "HEALTHCHECK" -> healthcheck = HealthcheckConfig.ofChange(line);
                default -> throw new InvalidArgumentException(instruction + " is not a valid change command");
            }
        }
        return new ContainerConfig(user, ports.isEmpty() ? null : ports, env.isEmpty() ? null : env, entrypoint, cmd,
                volumes.isEmpty() ? null : volumes, workingDir, labels.isEmpty() ? null : labels, stopSignal, onBuild, null, healthcheck);
    }

    /** JSON array form as is; anything else is the shell form, run by /bin/sh -c. */
    private static List<String> commandForm(String rest) {
        if (rest.startsWith("[")) {
            try {
                JsonNode node = ApiJson.MAPPER.readTree(rest);
                List<String> out = new ArrayList<>();
                node.forEach(n -> out.add(n.asText()));
                return out;
            } catch (Exception e) {
                // Docker treats a malformed JSON form as shell form; so do we.
            }
        }
        return List.of("/bin/sh", "-c", rest);
    }

    /** "A=1 B=2" or the legacy "A 1" form; values may be double-quoted. */
    private static List<String> keyValues(String rest, boolean legacySpaceForm) {
        List<String> out = new ArrayList<>();
        if (!rest.contains("=")) {
            if (!legacySpaceForm) throw new InvalidArgumentException("LABEL needs key=value: " + rest);
            int space = rest.indexOf(' ');
            if (space < 0) throw new InvalidArgumentException("ENV needs a name and a value: " + rest);
            out.add(rest.substring(0, space) + "=" + rest.substring(space + 1).strip());
            return out;
        }
        StringBuilder token = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < rest.length(); i++) {
            char ch = rest.charAt(i);
            if (ch == '"') quoted = !quoted;
            else if (ch == '\\' && i + 1 < rest.length()) token.append(rest.charAt(++i));
            else if (Character.isWhitespace(ch) && !quoted) {
                if (!token.isEmpty()) out.add(token.toString());
                token.setLength(0);
            } else token.append(ch);
        }
        if (!token.isEmpty()) out.add(token.toString());
        for (String kv : out) {
            if (!kv.contains("=") || kv.startsWith("=")) throw new InvalidArgumentException("invalid key=value: " + kv);
        }
        return out;
    }
}
