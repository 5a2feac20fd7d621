package io.berth.daemon.api;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

import io.berth.oci.errors.InvalidArgumentException;

/** Container ids and names the way Docker makes and checks them. */
public final class ContainerNames {
    private static final Pattern VALID = Pattern.compile("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String[] LEFT = {"admiring", "brave", "calm", "eager", "focused", "gifted", "happy",
            "jolly", "keen", "lucid", "modest", "nifty", "quirky", "serene", "tender", "vibrant", "wizardly", "zealous"};
    private static final String[] RIGHT = {"albattani", "babbage", "curie", "darwin", "euler", "fermat", "galileo",
            "hopper", "lovelace", "meitner", "noether", "pascal", "ritchie", "shannon", "turing", "wozniak"};

    private ContainerNames() {}

    public static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Strips the leading "/" and checks the name; null or empty means "generate one". */
    public static String validate(String name) {
        if (name == null || name.isEmpty()) return null;
        if (!VALID.matcher(name).matches()) {
            throw new InvalidArgumentException("Invalid container name (" + name
                    + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        return name.startsWith("/") ? name.substring(1) : name;
    }

    public static String random() {
        return LEFT[RANDOM.nextInt(LEFT.length)] + "_" + RIGHT[RANDOM.nextInt(RIGHT.length)]
                + "_" + Integer.toString(RANDOM.nextInt(1 << 16), 36);
    }
}
