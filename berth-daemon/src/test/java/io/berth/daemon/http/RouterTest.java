package io.berth.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class RouterTest {
    private final Handler ping = (rq, rs) -> {};
    private final Handler list = (rq, rs) -> {};
    private final Handler inspect = (rq, rs) -> {};
    private final Handler start = (rq, rs) -> {};
    private final Handler imageInspect = (rq, rs) -> {};
    private final Handler imageRemove = (rq, rs) -> {};
    private final Handler imageTag = (rq, rs) -> {};

    private final Router router = new Router()
            .add("GET", "/_ping", ping)
            .add("GET", "/containers/json", list)
            .add("GET", "/containers/{id}/json", inspect)
            .add("POST", "/containers/{id}/start", start)
            .add("GET", "/images/{name*}/json", imageInspect)
            .add("POST", "/images/{name*}/tag", imageTag)
            .add("DELETE", "/images/{name*}", imageRemove);

    private Router.Match.Found found(String method, String path) {
        Router.Match match = router.match(method, path);
        assertThat(match).isInstanceOf(Router.Match.Found.class);
        return (Router.Match.Found) match;
    }

    @Test
    void exactRouteMatchesWithoutParams() {
        Router.Match.Found f = found("GET", "/_ping");
        assertThat(f.handler()).isSameAs(ping);
        assertThat(f.params()).isEmpty();
        assertThat(found("GET", "/containers/json").handler()).isSameAs(list);
    }

    @Test
    void literalSegmentIsPreferredWhenRegisteredFirst() {
        // "/containers/json" must not be read as container "json" with a missing "/json" suffix.
        assertThat(found("GET", "/containers/json").handler()).isSameAs(list);
    }

    @Test
    void namedSegmentIsCaptured() {
        Router.Match.Found f = found("GET", "/containers/abc123/json");
        assertThat(f.handler()).isSameAs(inspect);
        assertThat(f.params()).isEqualTo(Map.of("id", "abc123"));
    }

    @Test
    void namedSegmentMustNotBeEmpty() {
        assertThat(router.match("GET", "/containers//json")).isInstanceOf(Router.Match.NotFound.class);
    }

    @Test
    void greedySegmentTakesImageNamesWithSlashes() {
        Router.Match.Found f = found("GET", "/images/library/busybox:latest/json");
        assertThat(f.handler()).isSameAs(imageInspect);
        assertThat(f.params()).containsEntry("name", "library/busybox:latest");

        Router.Match.Found registry = found("GET", "/images/localhost:5000/a/b:1/json");
        assertThat(registry.params()).containsEntry("name", "localhost:5000/a/b:1");
    }

    @Test
    void greedySegmentTakesASingleSegmentName() {
        assertThat(found("GET", "/images/busybox/json").params()).containsEntry("name", "busybox");
    }

    @Test
    void greedySegmentAtTheEndTakesTheRestOfThePath() {
        Router.Match.Found f = found("DELETE", "/images/localhost:5000/a/b:1");
        assertThat(f.handler()).isSameAs(imageRemove);
        assertThat(f.params()).containsEntry("name", "localhost:5000/a/b:1");
    }

    @Test
    void greedySegmentMustNotBeEmpty() {
        Router inspectOnly = new Router().add("GET", "/images/{name*}/json", imageInspect);
        assertThat(inspectOnly.match("GET", "/images//json")).isInstanceOf(Router.Match.NotFound.class);
        assertThat(inspectOnly.match("GET", "/images/json")).isInstanceOf(Router.Match.NotFound.class);
    }

    @Test
    void trailingGreedySegmentMakesEveryDeeperPathAKnownPath() {
        // DELETE /images/{name*} takes "json" as an image name, so GET /images/json without its own
        // route is "method not allowed" rather than "not found".
        assertThat(router.match("GET", "/images/json")).isInstanceOf(Router.Match.MethodNotAllowed.class);
    }

    @Test
    void greedySegmentWithDigestReference() {
        String name = "busybox@sha256:" + "a".repeat(64);
        assertThat(found("GET", "/images/" + name + "/json").params()).containsEntry("name", name);
    }

    @Test
    void paramsAreUrlDecoded() {
        assertThat(found("GET", "/images/localhost%3A5000%2Fa%2Fb%3A1/json").params())
                .containsEntry("name", "localhost:5000/a/b:1");
        assertThat(found("GET", "/containers/my%20box/json").params()).containsEntry("id", "my box");
    }

    @Test
    void plusInAPathSegmentStaysAPlus() {
        // In a path "+" is a literal character; only query strings use it for a space.
        assertThat(found("GET", "/containers/a+b/json").params()).containsEntry("id", "a+b");
    }

    @Test
    void badPercentEscapeIsAnIllegalArgument() {
        // ErrorMapper turns IllegalArgumentException into 400.
        assertThatThrownBy(() -> router.match("GET", "/containers/%zz/json"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void headMatchesGetRoutes() {
        assertThat(found("HEAD", "/_ping").handler()).isSameAs(ping);
        assertThat(found("HEAD", "/images/library/busybox:latest/json").handler()).isSameAs(imageInspect);
    }

    @Test
    void headDoesNotMatchPostRoutes() {
        assertThat(router.match("HEAD", "/containers/x/start")).isInstanceOf(Router.Match.MethodNotAllowed.class);
    }

    @Test
    void knownPathWithWrongMethodIsMethodNotAllowed() {
        assertThat(router.match("POST", "/_ping")).isInstanceOf(Router.Match.MethodNotAllowed.class);
        assertThat(router.match("DELETE", "/containers/abc/json")).isInstanceOf(Router.Match.MethodNotAllowed.class);
        assertThat(router.match("GET", "/containers/abc/start")).isInstanceOf(Router.Match.MethodNotAllowed.class);
    }

    @Test
    void unknownPathIsNotFound() {
        assertThat(router.match("GET", "/nope")).isInstanceOf(Router.Match.NotFound.class);
        assertThat(router.match("GET", "/containers/abc/json/extra")).isInstanceOf(Router.Match.NotFound.class);
        assertThat(router.match("GET", "/_ping/")).isInstanceOf(Router.Match.NotFound.class);
        assertThat(router.match("GET", "/")).isInstanceOf(Router.Match.NotFound.class);
    }

    @Test
    void methodsAreCaseSensitive() {
        assertThat(router.match("get", "/_ping")).isInstanceOf(Router.Match.MethodNotAllowed.class);
    }

    @Test
    void sameMethodOnTwoPatternsPicksTheMatchingOne() {
        assertThat(found("POST", "/images/library/busybox:latest/tag").handler()).isSameAs(imageTag);
        assertThat(found("POST", "/images/library/busybox:latest/tag").params())
                .containsEntry("name", "library/busybox:latest");
    }

    @Test
    void rootRouteMatchesOnlyTheRoot() {
        Handler root = (rq, rs) -> {};
        Router r = new Router().add("GET", "/", root);
        assertThat(((Router.Match.Found) r.match("GET", "/")).handler()).isSameAs(root);
        assertThat(r.match("GET", "/x")).isInstanceOf(Router.Match.NotFound.class);
    }
}
