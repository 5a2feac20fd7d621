package io.berth.registry.server;

import io.berth.oci.errors.InvalidArgumentException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may do what to which repository. Without an access file every authenticated user may pull, push and
 * delete everywhere. An access file has one rule per line, first matching rules add up:
 * <pre>
 * # user   repository pattern   actions
 * alice    *                    pull,push,delete
 * bob      library/*            pull
 * *        public/*             pull            ("*" as user: every authenticated user)
 * </pre>
 * In a pattern {@code *} matches any characters including {@code /}. The catalog ({@code registry:catalog:*})
 * is open to every authenticated user.
 */
public final class AccessRules {
    private record Rule(String user, Pattern repository, Set<String> actions) {
    }

    private final List<Rule> rules;

    private AccessRules(List<Rule> rules) {
        this.rules = rules;
    }

    /** Everyone authenticated may do everything. */
    public static AccessRules allowAll() {
        return new AccessRules(List.of(new Rule("*", Pattern.compile(".*"),
                Set.of(Access.PULL, Access.PUSH, Access.DELETE))));
    }

    public static AccessRules load(Path file) {
        List<Rule> rules = new ArrayList<>();
        try {
            int lineNo = 0;
            for (String line : Files.readAllLines(file)) {
                lineNo++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] fields = trimmed.split("\\s+");
                if (fields.length != 3) {
                    throw new InvalidArgumentException(file + ":" + lineNo + ": expected 'user pattern actions'");
                }
                Set<String> actions = new LinkedHashSet<>(List.of(fields[2].split(",")));
                if (actions.contains("*")) {
                    actions = Set.of(Access.PULL, Access.PUSH, Access.DELETE);
                }
                rules.add(new Rule(fields[0], glob(fields[1]), actions));
            }
        } catch (IOException e) {
            throw new InvalidArgumentException("cannot read access file " + file + ": " + e.getMessage(), e);
        }
        return new AccessRules(List.copyOf(rules));
    }

    /** The actions of {@code wanted} that {@code user} holds. */
    public Set<String> allowed(String user, Access wanted) {
        if (wanted.type().equals("registry") && wanted.name().equals("catalog")) {
            return wanted.actions();
        }
        if (!wanted.type().equals("repository")) {
            return Set.of();
        }
        Set<String> granted = new LinkedHashSet<>();
        for (Rule rule : rules) {
            if ((rule.user.equals("*") || rule.user.equals(user)) && rule.repository.matcher(wanted.name()).matches()) {
                granted.addAll(rule.actions);
            }
        }
        granted.retainAll(wanted.actions());
        return granted;
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
