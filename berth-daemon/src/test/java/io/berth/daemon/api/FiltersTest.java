package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.berth.oci.errors.InvalidArgumentException;

class FiltersTest {
    @Test
    void absentOrBlankIsEmpty() {
        assertThat(Filters.parse(null).values()).isEmpty();
        assertThat(Filters.parse("").values()).isEmpty();
        assertThat(Filters.parse("  ").values()).isEmpty();
    }

    @Test
    void currentMapForm() {
        Filters f = Filters.parse("{\"status\":{\"running\":true,\"paused\":true},\"label\":{\"a=b\":true}}");
        assertThat(f.get("status")).containsExactly("running", "paused");
        assertThat(f.get("label")).containsExactly("a=b");
        assertThat(f.has("status")).isTrue();
        assertThat(f.has("name")).isFalse();
        assertThat(f.get("name")).isEmpty();
    }

    @Test
    void mapFormSkipsFalseValues() {
        assertThat(Filters.parse("{\"status\":{\"running\":false,\"exited\":true}}").get("status")).containsExactly("exited");
    }

    @Test
    void legacyListForm() {
        assertThat(Filters.parse("{\"status\":[\"running\",\"created\"],\"dangling\":[\"true\"]}").get("status"))
                .containsExactly("running", "created");
    }

    @Test
    void scalarValueIsOneValue() {
        assertThat(Filters.parse("{\"name\":\"web\"}").get("name")).containsExactly("web");
    }

    @Test
    void invalidJsonIsRejected() {
        assertThatThrownBy(() -> Filters.parse("{status")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("invalid filters");
        assertThatThrownBy(() -> Filters.parse("[\"status\"]")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void allowOnlyRejectsUnknownKeys() {
        Filters f = Filters.parse("{\"status\":[\"running\"],\"colour\":[\"red\"]}");
        assertThatThrownBy(() -> f.allowOnly("status", "label")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid filter 'colour'");
        assertThat(f.allowOnly("status", "colour")).isSameAs(f);
        assertThat(Filters.parse("").allowOnly()).isNotNull();
    }

    @Test
    void labelMatchesKeyOnly() {
        Map<String, String> labels = Map.of("tier", "web", "empty", "");
        assertThat(Filters.labelMatches("tier", labels)).isTrue();
        assertThat(Filters.labelMatches("missing", labels)).isFalse();
    }

    @Test
    void labelMatchesKeyAndValue() {
        Map<String, String> labels = Map.of("tier", "web", "empty", "", "expr", "a=b");
        assertThat(Filters.labelMatches("tier=web", labels)).isTrue();
        assertThat(Filters.labelMatches("tier=db", labels)).isFalse();
        assertThat(Filters.labelMatches("empty=", labels)).isTrue();
        assertThat(Filters.labelMatches("missing=", labels)).isFalse();
        assertThat(Filters.labelMatches("expr=a=b", labels)).isTrue();
    }
}
