package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.berth.oci.errors.InvalidArgumentException;

class JsonBodyTest {

    @Test
    void aBodyMustBeDeclaredJson() {
        assertThatThrownBy(() -> JsonBody.requireJson("text/plain", true)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("unsupported Content-Type header (text/plain): must be 'application/json'");
        assertThatThrownBy(() -> JsonBody.requireJson(null, true))
                .hasMessage("unsupported Content-Type header (): must be 'application/json'");
        assertThatThrownBy(() -> JsonBody.requireJson("application/jsonp", true)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> JsonBody.requireJson("application/x-www-form-urlencoded", false))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void jsonWithParametersOrNoBodyWithoutTypePass() {
        assertThatCode(() -> JsonBody.requireJson("application/json", true)).doesNotThrowAnyException();
        assertThatCode(() -> JsonBody.requireJson("Application/JSON; charset=utf-8", true)).doesNotThrowAnyException();
        assertThatCode(() -> JsonBody.requireJson(null, false)).doesNotThrowAnyException();
        assertThatCode(() -> JsonBody.requireJson("", false)).doesNotThrowAnyException();
    }
}
