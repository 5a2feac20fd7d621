package io.berth.build.dockerfile;

import io.berth.oci.errors.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VariableExpanderTest {
    private static final Map<String, String> VARS = Map.of("NAME", "world", "EMPTY", "", "SPACED", "a b  c", "DIR", "/srv");
    private static final Function<String, String> LOOKUP = VARS::get;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', emptyValue = "", textBlock = """
            $NAME                  | world
            ${NAME}                | world
            hello-${NAME}-x        | hello-world-x
            $NAMEx                 | ''
            ${NAME}x               | worldx
            $UNSET                 | ''
            ${UNSET:-fallback}     | fallback
            ${EMPTY:-fallback}     | fallback
            ${EMPTY-fallback}      | ''
            ${UNSET-fallback}      | fallback
            ${NAME:-fallback}      | world
            ${NAME:+alt}           | alt
            ${EMPTY:+alt}          | ''
            ${EMPTY+alt}           | alt
            ${UNSET+alt}           | ''
            ${UNSET:-$DIR/x}       | /srv/x
            ${UNSET:-${DIR}}       | /srv
            \\$NAME                | $NAME
            '$NAME'                | $NAME
            "$NAME"                | world
            "\\$NAME"              | $NAME
            "a\\b"                 | a\\b
            "say \\"hi\\""         | say "hi"
            a\\ b                  | a b
            $                      | $
            a$-b                   | a$-b
            "${SPACED}"            | a b  c
            ~"it's"~               | it's
            ~'say "hi"'~           | say "hi"
            ${DIR}/bin:$PATH       | /srv/bin:
            """)
    void expands(String word, String expected) {
        String want = expected.equals("''") ? "" : expected.replace("\\\\", "\\");
        assertThat(VariableExpander.expand(word.replace("\\\\", "\\"), LOOKUP, '\\')).isEqualTo(want);
    }

    @Test
    void backtickEscape() {
        assertThat(VariableExpander.expand("`$NAME C:\\dir", LOOKUP, '`')).isEqualTo("$NAME C:\\dir");
        assertThat(VariableExpander.expand("\"C:\\Program Files\\$NAME\"", LOOKUP, '`')).isEqualTo("C:\\Program Files\\world");
    }

    @Test
    void wordsSplitOnUnquotedWhitespaceIncludingExpansions() {
        assertThat(VariableExpander.expandWords("80/tcp $SPACED \"x y\" ''", LOOKUP, '\\'))
                .containsExactly("80/tcp", "a", "b", "c", "x y", "");
        assertThat(VariableExpander.expandWords("\"$SPACED\" a\\ b", LOOKUP, '\\')).containsExactly("a b  c", "a b");
        assertThat(VariableExpander.expandWords("  ", LOOKUP, '\\')).isEmpty();
        assertThat(VariableExpander.expandWords("$UNSET", LOOKUP, '\\')).isEmpty();
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> VariableExpander.expand("'open", LOOKUP, '\\'))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("single-quote");
        assertThatThrownBy(() -> VariableExpander.expand("\"open", LOOKUP, '\\')).hasMessageContaining("double-quote");
        assertThatThrownBy(() -> VariableExpander.expand("${NAME", LOOKUP, '\\')).hasMessageContaining("missing '}'");
        assertThatThrownBy(() -> VariableExpander.expand("${NAME:-x", LOOKUP, '\\')).hasMessageContaining("missing '}'");
        assertThatThrownBy(() -> VariableExpander.expand("${NAME%x}", LOOKUP, '\\')).hasMessageContaining("unsupported modifier");
        assertThatThrownBy(() -> VariableExpander.expand("${}", LOOKUP, '\\')).hasMessageContaining("bad substitution");
        assertThatThrownBy(() -> VariableExpander.expand("${UNSET:?must be set}", LOOKUP, '\\')).hasMessage("UNSET: must be set");
        assertThat(VariableExpander.expand("${NAME?x}", LOOKUP, '\\')).isEqualTo("world");
    }
}
