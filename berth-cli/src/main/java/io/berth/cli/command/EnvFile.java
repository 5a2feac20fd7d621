package io.berth.cli.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Docker's env files: one {@code KEY=value} per line, value kept verbatim (no quote removal);
 * blank lines and lines starting with {@code #} are skipped; a bare {@code KEY} takes the value
 * from the caller's environment and is dropped when unset.
 */
public final class EnvFile {

    private EnvFile() {}

    public static List<String> read(Path file, Map<String, String> env) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), env);
    }

    public static List<String> parse(String content, String name, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        String[] lines = content.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            String trimmed = line.stripLeading();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq == 0) {
                throw new IllegalArgumentException("no variable name on line '" + line + "'");
            }
            if (eq > 0) {
                String key = trimmed.substring(0, eq);
                if (key.chars().anyMatch(Character::isWhitespace)) {
                    throw new IllegalArgumentException("variable '" + key + "' contains whitespaces");
                }
                out.add(key + "=" + trimmed.substring(eq + 1));
            } else {
                String key = trimmed.strip();
                if (key.chars().anyMatch(Character::isWhitespace)) {
                    throw new IllegalArgumentException("variable '" + key + "' contains whitespaces");
                }
                String value = env.get(key);
                if (value != null) {
                    out.add(key + "=" + value);
                }
            }
        }
        return out;
    }
}
