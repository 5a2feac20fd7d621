package io.berth.registry.server;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A resource and the actions on it, as in the Docker token scope {@code repository:library/busybox:pull,push}
 * (the name may contain {@code :} only for a registry host and port, so the actions are after the last colon).
 */
public record Access(String type, String name, Set<String> actions) {
    public static final String PULL = "pull";
    public static final String PUSH = "push";
    public static final String DELETE = "delete";

    public Access {
        actions = Set.copyOf(actions);
    }

    public static Access repository(RepositoryName name, String... actions) {
        return new Access("repository", name.value(), new LinkedHashSet<>(Arrays.asList(actions)));
    }

    public static Access catalog() {
        return new Access("registry", "catalog", Set.of("*"));
    }

    /** Parses one scope; null when malformed (malformed scopes in a token request are ignored, as Docker does). */
    public static Access parseScope(String scope) {
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        if (first <= 0 || last <= first) {
            return null;
        }
        Set<String> actions = new LinkedHashSet<>(List.of(scope.substring(last + 1).split(",")));
        actions.remove("");
        return new Access(scope.substring(0, first), scope.substring(first + 1, last), actions);
    }

    /** Scope text with actions in a stable order (pull before push), as the challenge header carries it. */
    public String scope() {
        return type + ":" + name + ":" + String.join(",", actions.stream().sorted().toList());
    }
}
