package io.berth.compose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A dotenv file as Compose reads {@code .env}, {@code --env-file} and a service's {@code env_file}:
 * {@code KEY=VALUE} lines, {@code export } prefixes, {@code #} comments, single quotes literal,
 * double quotes with escapes, unquoted values trimmed and cut at " #"; values are interpolated
 * from the variables known so far. A line {@code KEY} alone takes the variable from {@code lookup}.
 */
final class EnvFile {
    private EnvFile() {}

    static Map<String, String> read(Path file, Function<String, String> lookup) {
        try {
            return parse(Files.readString(file), file.toString(), lookup);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ComposeException("env file " + file + " not found");
        } catch (IOException e) {
            throw new ComposeException("reading env file " + file + ": " + e.getMessage());
        }
    }

    static Map<String, String> parse(String text, String source, Function<String, String> lookup) {
        Map<String, String> vars = new LinkedHashMap<>();
        Function<String, String> known = name -> vars.containsKey(name) ? vars.get(name) : lookup.apply(name);
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            String key = (eq < 0 ? line : line.substring(0, eq)).strip();
            if (key.isEmpty() || !key.matches("[A-Za-z_][A-Za-z0-9_.\\-\\[\\]]*")) {
                throw new ComposeException(source + ":" + (i + 1) + ": invalid variable name '" + key + "'");
            }
            if (eq < 0) {
                String v = lookup.apply(key);
                if (v != null) {
                    vars.put(key, v);
                }
                continue;
            }
            String raw = line.substring(eq + 1).stripLeading();
            String value;
            if (raw.startsWith("'")) {
                int end = raw.indexOf('\'', 1);
                if (end < 0) throw new ComposeException(source + ":" + (i + 1) + ": unterminated quoted value");
                value = raw.substring(1, end);
            } else if (raw.startsWith("\"")) {
                StringBuilder sb = new StringBuilder();
                StringBuilder rest = new StringBuilder(raw.substring(1));
                // a double-quoted value may span lines
                while (closingQuote(rest) < 0 && i + 1 < lines.size()) {
                    rest.append('\n').append(lines.get(++i));
                }
                int end = closingQuote(rest);
                if (end < 0) throw new ComposeException(source + ":" + (i + 1) + ": unterminated quoted value");
                String body = rest.substring(0, end);
                for (int j = 0; j < body.length(); j++) {
                    char c = body.charAt(j);
                    if (c == '\\' && j + 1 < body.length()) {
                        char n = body.charAt(++j);
                        sb.append(switch (n) { case 'n' -> '\n'; case 't' -> '\t'; case 'r' -> '\r'; default -> n; });
                    } else {
                        sb.append(c);
                    }
                }
                value = Interpolation.interpolate(sb.toString(), known, source);
            } else {
                int hash = raw.indexOf(" #");
                value = Interpolation.interpolate((hash < 0 ? raw : raw.substring(0, hash)).strip(), known, source);
            }
            vars.put(key, value);
        }
        return vars;
    }

    private static int closingQuote(CharSequence s) {
        for (int j = 0; j < s.length(); j++) {
            if (s.charAt(j) == '\\') {
                j++;
            } else if (s.charAt(j) == '"') {
                return j;
            }
        }
        return -1;
    }
}
