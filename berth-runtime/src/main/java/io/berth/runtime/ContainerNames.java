package io.berth.runtime;

import io.berth.oci.errors.InvalidArgumentException;

import java.security.SecureRandom;
import java.util.List;
import java.util.regex.Pattern;

/** Container name rules as Docker has them, and generated "adjective_noun" names. */
final class ContainerNames {
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    private static final List<String> ADJECTIVES = List.of("brave", "calm", "eager", "fancy", "gentle", "happy",
            "jolly", "keen", "lucid", "merry", "nimble", "proud", "quiet", "rapid", "sharp", "tidy", "vivid", "witty");
    private static final List<String> NOUNS = List.of("anchor", "buoy", "cargo", "dock", "ferry", "galley", "harbor",
            "jetty", "keel", "lantern", "mast", "oar", "pier", "quay", "rudder", "sail", "tugboat", "wharf");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ContainerNames() {}

    /** Strips the leading "/" Docker shows and checks the characters. */
    static String normalize(String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        if (!VALID.matcher(n).matches()) {
            throw new InvalidArgumentException("Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        return n;
    }

    static String generate() {
        return ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size())) + "_" + NOUNS.get(RANDOM.nextInt(NOUNS.size()));
    }
}
