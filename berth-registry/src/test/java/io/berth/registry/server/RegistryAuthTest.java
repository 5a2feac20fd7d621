package io.berth.registry.server;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import io.berth.oci.Digest;
import io.berth.oci.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;

import static io.berth.registry.server.TestRegistry.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

/** htpasswd Basic auth and the token flow, with a user who may push and one who may only pull. */
class RegistryAuthTest {
    @TempDir
    static Path dir;
    static Path htpasswd;
    static Path access;

    @BeforeAll
    static void users() throws Exception {
        htpasswd = dir.resolve("htpasswd");
        // $2y$ as `htpasswd -B` writes, $2b$ as other tools do; cost 4 keeps the test fast
        Files.writeString(htpasswd, "alice:" + new String(BCrypt.with(BCrypt.Version.VERSION_2Y).hash(4, "wonderland".toCharArray()))
                + "\nbob:" + new String(BCrypt.with(BCrypt.Version.VERSION_2B).hash(4, "builder".toCharArray())) + "\n");
        access = dir.resolve("access");
        Files.writeString(access, """
                # user  repository  actions
                alice   *           pull,push,delete
                bob     *           pull
                """);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static TestRegistry start(String name, RegistryConfig.Auth auth) throws Exception {
        Path root = Files.createDirectories(dir.resolve(name));
        return new TestRegistry(RegistryConfig.loopback(root).withAuth(auth), TestRegistry.client());
    }

    private static HttpResponse<byte[]> pushBlob(TestRegistry r, String repo, byte[] content, String authorization) {
        return r.send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Digest.sha256(content), content,
                "Authorization", authorization);
    }

    @Test
    void basicAuth() throws Exception {
        try (TestRegistry r = start("basic", new RegistryConfig.Auth.Basic(htpasswd, access))) {
            HttpResponse<byte[]> anonymous = r.send("GET", "/v2/", null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(errorCode(anonymous)).isEqualTo("UNAUTHORIZED");
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Basic realm="));
            HttpResponse<byte[]> wrong = r.send("GET", "/v2/", null, "Authorization", basic("alice", "nope"));
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(r.send("GET", "/v2/", null, "Authorization", basic("alice", "wonderland")).statusCode())
                    .isEqualTo(200);

            byte[] content = "secured".getBytes();
            assertThat(pushBlob(r, "auth/app", content, basic("alice", "wonderland")).statusCode()).isEqualTo(201);
            HttpResponse<byte[]> bobPush = pushBlob(r, "auth/app", "bob's".getBytes(), basic("bob", "builder"));
            assertThat(bobPush.statusCode()).isEqualTo(403);
            assertThat(errorCode(bobPush)).isEqualTo("DENIED");
            HttpResponse<byte[]> bobPull = r.send("GET", "/v2/auth/app/blobs/" + Digest.sha256(content), null,
                    "Authorization", basic("bob", "builder"));
            assertThat(bobPull.statusCode()).isEqualTo(200);
            assertThat(bobPull.body()).isEqualTo(content);
            assertThat(r.send("DELETE", "/v2/auth/app/blobs/" + Digest.sha256(content), null,
                    "Authorization", basic("bob", "builder")).statusCode()).isEqualTo(403);
        }
    }

    private static String token(TestRegistry r, String authorization, String scope) throws Exception {
        HttpResponse<byte[]> response = r.send("GET", "/token?service=berth-test&scope="
                + URLEncoder.encode(scope, StandardCharsets.UTF_8), null, "Authorization", authorization);
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.path("expires_in").asInt()).isPositive();
        return body.path("token").asText();
    }

    @Test
    void tokenFlowWithGeneratedSecret() throws Exception {
        try (TestRegistry r = start("token", new RegistryConfig.Auth.Token(htpasswd, access, "berth-test", null))) {
            HttpResponse<byte[]> challenge = r.send("POST", "/v2/tok/app/blobs/uploads/", null);
            assertThat(challenge.statusCode()).isEqualTo(401);
            assertThat(challenge.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"http://127.0.0.1:"
                    + r.server.port() + "/token\",service=\"berth-test\",scope=\"repository:tok/app:pull,push\"");

            HttpResponse<byte[]> wrong = r.send("GET", "/token?service=berth-test&scope=repository:tok/app:pull",
                    null, "Authorization", basic("alice", "wrong"));
            assertThat(wrong.statusCode()).isEqualTo(401);

            String alice = token(r, basic("alice", "wonderland"), "repository:tok/app:pull,push");
            assertThat(JsonWebTokenParts.header(alice).path("alg").asText()).isEqualTo("HS256");
            assertThat(pushBlob(r, "tok/app", "tokened".getBytes(), "Bearer " + alice).statusCode()).isEqualTo(201);
            assertThat(r.send("GET", "/v2/", null, "Authorization", "Bearer " + alice).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void pullOnlyTokenCannotPush() throws Exception {
        try (TestRegistry r = start("token-rs", new RegistryConfig.Auth.Token(htpasswd, access, "berth-test",
                rsaKey()))) {
            String alice = token(r, basic("alice", "wonderland"), "repository:tok/app:pull,push");
            assertThat(JsonWebTokenParts.header(alice).path("alg").asText()).isEqualTo("RS256");
            byte[] content = "pull me".getBytes();
            assertThat(pushBlob(r, "tok/app", content, "Bearer " + alice).statusCode()).isEqualTo(201);

            // bob asks for push too, but the token endpoint grants only what the rules allow: pull
            String bob = token(r, basic("bob", "builder"), "repository:tok/app:pull,push");
            assertThat(JsonWebTokenParts.claims(bob).path("access").path(0).path("actions").toString())
                    .isEqualTo("[\"pull\"]");
            HttpResponse<byte[]> push = pushBlob(r, "tok/app", "bob's".getBytes(), "Bearer " + bob);
            assertThat(push.statusCode()).isEqualTo(401);
            assertThat(push.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"insufficient_scope\"");
            HttpResponse<byte[]> pull = r.send("GET", "/v2/tok/app/blobs/" + Digest.sha256(content), null,
                    "Authorization", "Bearer " + bob);
            assertThat(pull.statusCode()).isEqualTo(200);
            // a token for one repository is no good for another
            assertThat(r.send("GET", "/v2/tok/other/tags/list", null, "Authorization", "Bearer " + bob).statusCode())
                    .isEqualTo(401);
            // a tampered token is refused
            String[] parts = alice.split("\\.");
            String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    new String(Base64.getUrlDecoder().decode(parts[1])).replace("alice", "mallory").getBytes())
                    + "." + parts[2];
            assertThat(r.send("GET", "/v2/tok/app/blobs/" + Digest.sha256(content), null,
                    "Authorization", "Bearer " + forged).statusCode()).isEqualTo(401);
            // anonymous token: grants nothing
            HttpResponse<byte[]> anonymous = r.send("GET", "/token?service=berth-test&scope=repository:tok/app:pull", null);
            String none = Json.mapper().readTree(anonymous.body()).path("token").asText();
            assertThat(r.send("GET", "/v2/tok/app/blobs/" + Digest.sha256(content), null,
                    "Authorization", "Bearer " + none).statusCode()).isEqualTo(401);
        }
    }

    private static Path rsaKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
        Path key = dir.resolve("token-key.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n");
        return key;
    }

    /** Reads a JWT's header and claims for assertions. */
    static final class JsonWebTokenParts {
        static JsonNode header(String jwt) throws Exception {
            return Json.mapper().readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]));
        }

        static JsonNode claims(String jwt) throws Exception {
            return Json.mapper().readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        }
    }
}
