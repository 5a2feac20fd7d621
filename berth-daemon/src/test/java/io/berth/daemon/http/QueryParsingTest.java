package io.berth.daemon.http;

import io.berth.http.RequestHead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.berth.oci.errors.InvalidArgumentException;

class QueryParsingTest {
    @Test
    void emptyQueryIsEmpty() {
        assertThat(ApiHttpServer.parseQuery("")).isEmpty();
    }

    @Test
    void repeatedKeysKeepAllValuesInOrder() {
        Map<String, List<String>> q = ApiHttpServer.parseQuery("a=1&b=2&a=3");
        assertThat(q).containsEntry("a", List.of("1", "3")).containsEntry("b", List.of("2"));
        assertThat(q.keySet()).containsExactly("a", "b");
    }

    @Test
    void keyWithoutValueIsEmptyString() {
        assertThat(ApiHttpServer.parseQuery("all&force=")).containsEntry("all", List.of("")).containsEntry("force", List.of(""));
    }

    @Test
    void valuesAreUrlDecodedWithPlusAsSpace() {
        Map<String, List<String>> q = ApiHttpServer.parseQuery("filters=%7B%22label%22%3A%5B%22a%3Db%22%5D%7D&t=x+y&n=%2B1");
        assertThat(q.get("filters")).containsExactly("{\"label\":[\"a=b\"]}");
        assertThat(q.get("t")).containsExactly("x y");
        assertThat(q.get("n")).containsExactly("+1");
    }

    @Test
    void valueMayContainEqualsSigns() {
        assertThat(ApiHttpServer.parseQuery("label=a%3Db&x=c=d").get("x")).containsExactly("c=d");
    }

    @Test
    void emptyPairsAreSkipped() {
        assertThat(ApiHttpServer.parseQuery("&&a=1&")).containsOnlyKeys("a");
    }

    @Test
    void badEscapeIsAnIllegalArgument() {
        assertThatThrownBy(() -> ApiHttpServer.parseQuery("a=%G1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requestHelpersReadDockerStyleParameters() {
        HttpRequest rq = new HttpRequest("GET", "/x",
                ApiHttpServer.parseQuery("all=1&stream=True&tail=10&size=0&bad=x&v=a&v=b"),
                new RequestHead("GET", "/x", "HTTP/1.1", Map.of()), InputStream.nullInputStream(), Map.of(), ApiVersion.CURRENT);
        assertThat(rq.queryFlag("all")).isTrue();
        assertThat(rq.queryFlag("stream")).isTrue();
        assertThat(rq.queryFlag("size")).isFalse();
        assertThat(rq.queryFlag("missing")).isFalse();
        assertThat(rq.queryInt("tail")).isEqualTo(10);
        assertThat(rq.queryInt("missing")).isNull();
        assertThat(rq.queryParam("v")).as("Go's FormValue: the first of repeated values").isEqualTo("a");
        assertThat(rq.queryParam("missing", "dflt")).isEqualTo("dflt");
        assertThatThrownBy(() -> rq.queryInt("bad")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("bad");
    }

    @Test
    void headersAreCaseInsensitiveAndTheFirstValueCounts() {
        HttpRequest rq = new HttpRequest("GET", "/x", Map.of(), new RequestHead("GET", "/x", "HTTP/1.1",
                Map.of("X-Registry-Auth", List.of("a", "b"), "Connection", List.of("keep-alive, Upgrade"))),
                InputStream.nullInputStream(), Map.of(), ApiVersion.CURRENT);
        assertThat(rq.header("x-REGISTRY-auth")).isEqualTo("a");
        assertThat(rq.header("missing")).isNull();
        assertThat(rq.wantsUpgrade()).isTrue();
    }
}
