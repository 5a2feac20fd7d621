package io.berth.registry.server;

import java.util.regex.Pattern;

/**
 * A repository name as the distribution spec allows it: lowercase path components separated by {@code /}.
 * Because each component must start with a letter or digit, a valid name can never be {@code ..}, absolute,
 * or collide with the {@code _manifests}/{@code _links} directories stored beside it.
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {
    private static final Pattern NAME = Pattern.compile(
            "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");
    private static final int MAX_LENGTH = 255;

    public RepositoryName {
        if (value == null || value.length() > MAX_LENGTH || !NAME.matcher(value).matches()) {
            throw new RegistryException(ErrorCode.NAME_INVALID, "invalid repository name: " + value);
        }
    }

    @Override
    public int compareTo(RepositoryName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
