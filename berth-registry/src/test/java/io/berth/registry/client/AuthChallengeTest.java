package io.berth.registry.client;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuthChallengeTest {
    @Test
    void parsesBearerWithQuotedParameters() {
        assertThat(AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/busybox:pull\""))
                .contains(new AuthChallenge.Bearer("https://auth.docker.io/token", "registry.docker.io",
                        "repository:library/busybox:pull"));
    }

    @Test
    void parsesBasicAndUnquotedValuesAndEscapes() {
        assertThat(AuthChallenge.parse("basic realm=\"Registry \\\"Realm\\\"\""))
                .contains(new AuthChallenge.Basic("Registry \"Realm\""));
        assertThat(AuthChallenge.parse("Bearer realm=http://h/token, service=svc"))
                .contains(new AuthChallenge.Bearer("http://h/token", "svc", null));
    }

    @Test
    void ignoresUnknownSchemesAndBearerWithoutRealm() {
        assertThat(AuthChallenge.parse("Negotiate abc")).isEmpty();
        assertThat(AuthChallenge.parse("Bearer service=x")).isEmpty();
        assertThat(AuthChallenge.parse(List.of("Negotiate", "Basic realm=r"))).contains(new AuthChallenge.Basic("r"));
    }

    @Test
    void aPushScopeCoversThePullScopeARegistryAsksFor() {
        java.util.Set<String> held = java.util.Set.of("repository:a/b:pull,push");
        assertThat(RegistryAuthenticator.covered("repository:a/b:pull", held)).isTrue();
        assertThat(RegistryAuthenticator.covered("repository:a/b:delete", held)).isFalse();
        assertThat(RegistryAuthenticator.covered("repository:a/c:pull", held)).isFalse();
    }
}
