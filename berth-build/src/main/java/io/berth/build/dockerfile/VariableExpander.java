package io.berth.build.dockerfile;

import java.util.List;
import java.util.function.Function;

/** Docker's variable substitution. */
public final class VariableExpander {
    private VariableExpander() {
    }

    public static String expand(String word, Function<String, String> lookup, char escape) {
        throw new UnsupportedOperationException();
    }

    public static List<String> expandWords(String text, Function<String, String> lookup, char escape) {
        throw new UnsupportedOperationException();
    }
}
