package io.berth.registry.server;

import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure pieces: names, ranges, pages, manifest parsing, access rules, tokens. */
class RegistryPartsTest {
    @Test
    void repositoryNamesFollowTheSpecGrammar() {
        for (String ok : List.of("a", "library/busybox", "a.b_c__d-e---f/g0", "x/y/z")) {
            assertThat(new RepositoryName(ok).value()).isEqualTo(ok);
        }
        for (String bad : List.of("", "A", "a/../b", "..", "/abs", "a/", "a//b", "_a", "a/_manifests", "a b",
                "a" + "/b".repeat(200))) {
            assertThatThrownBy(() -> new RepositoryName(bad)).as(bad)
                    .isInstanceOfSatisfying(RegistryException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_INVALID));
        }
    }

    @Test
    void byteRanges() {
        assertThat(BlobHandler.parseRange("bytes=0-0", 10)).containsExactly(0, 0);
        assertThat(BlobHandler.parseRange("bytes=3-", 10)).containsExactly(3, 9);
        assertThat(BlobHandler.parseRange("bytes=-4", 10)).containsExactly(6, 9);
        assertThat(BlobHandler.parseRange("bytes=5-100", 10)).containsExactly(5, 9);
        for (String bad : List.of("bytes=10-", "bytes=5-2", "bytes=-", "items=0-1", "bytes=-0")) {
            assertThatThrownBy(() -> BlobHandler.parseRange(bad, 10)).as(bad)
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(416));
        }
    }

    @Test
    void uploadRanges() {
        assertThat(UploadRange.parse("0-99")).containsExactly(0, 99);
        assertThat(UploadRange.parse("bytes 100-199/*")).containsExactly(100, 199);
        assertThat(UploadRange.header(0)).isEqualTo("0-0");
        assertThat(UploadRange.header(10)).isEqualTo("0-9");
        assertThatThrownBy(() -> UploadRange.parse("9-1")).isInstanceOf(RegistryException.class);
        assertThatThrownBy(() -> UploadRange.parse("x")).isInstanceOf(RegistryException.class);
    }

    @Test
    void pagination() {
        List<String> all = List.of("a", "b", "c");
        assertThat(Page.of(all, null, null)).isEqualTo(new Page(all, false));
        assertThat(Page.of(all, "2", null)).isEqualTo(new Page(List.of("a", "b"), true));
        assertThat(Page.of(all, "2", "b")).isEqualTo(new Page(List.of("c"), false));
        assertThat(Page.of(all, "0", null).items()).isEmpty();
        assertThat(Page.of(all, "1", null).nextLink("/v2/_catalog", "1")).isEqualTo("</v2/_catalog?n=1&last=a>; rel=\"next\"");
    }

    @Test
    void manifestParsing() {
        Digest config = Digest.sha256("c".getBytes());
        Digest layer = Digest.sha256("l".getBytes());
        String manifest = """
                {"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":1},
                 "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":1},
                           {"mediaType":"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip","digest":"%s","size":5,
                            "urls":["https://example.com/x"]}]}"""
                .formatted(config, layer, Digest.sha256("foreign".getBytes()));
        ManifestDocument doc = ManifestDocument.parse(manifest.getBytes(), MediaTypes.OCI_MANIFEST);
        assertThat(doc.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(doc.blobs()).containsExactly(config, layer);
        assertThat(doc.artifactType()).isEqualTo(MediaTypes.OCI_CONFIG);
        assertThat(ManifestDocument.parse(manifest.getBytes(), null).mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThatThrownBy(() -> ManifestDocument.parse("{\"schemaVersion\":1}".getBytes(), "application/json"))
                .isInstanceOf(RegistryException.class);
        assertThatThrownBy(() -> ManifestDocument.parse(
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"digest\":\"sha256:bad\",\"size\":1}}"
                        .getBytes(), null))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_INVALID));
    }

    @Test
    void accessRules(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access");
        Files.writeString(file, """
                # comment
                alice  *          *
                bob    library/*  pull
                *      public/*   pull
                """);
        AccessRules rules = AccessRules.load(file);
        Access pushLib = Access.repository(new RepositoryName("library/busybox"), Access.PULL, Access.PUSH);
        assertThat(rules.allowed("alice", pushLib)).containsExactlyInAnyOrder("pull", "push");
        assertThat(rules.allowed("bob", pushLib)).containsExactly("pull");
        assertThat(rules.allowed("bob", Access.repository(new RepositoryName("other"), Access.PULL))).isEmpty();
        assertThat(rules.allowed("carol", Access.repository(new RepositoryName("public/x"), Access.PULL)))
                .containsExactly("pull");
        assertThat(AccessRules.allowAll().allowed("anyone", pushLib)).containsExactlyInAnyOrder("pull", "push");
        assertThat(Access.parseScope("repository:host:5000/app:pull,push"))
                .isEqualTo(new Access("repository", "host:5000/app", Set.of("pull", "push")));
        assertThat(Access.parseScope("garbage")).isNull();
    }

    @Test
    void tokensExpireAndAreBoundToIssuerAndService() {
        RegistryTokens tokens = new RegistryTokens(TokenSigner.generated(), "svc");
        Instant now = Instant.now();
        List<Access> grant = List.of(Access.repository(new RepositoryName("app"), Access.PULL));
        String token = tokens.issue("alice", "svc", grant, now);
        assertThat(tokens.verify(token, "svc", now)).isEqualTo(grant);
        assertThat(tokens.verify(token, "other-service", now)).isNull();
        assertThat(tokens.verify(token, "svc", now.plus(RegistryTokens.LIFETIME).plusSeconds(1))).isNull();
        assertThat(new RegistryTokens(TokenSigner.generated(), "svc").verify(token, "svc", now)).isNull();
        String[] parts = token.split("\\.");
        String unsigned = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes()) + "." + parts[1] + ".";
        assertThat(tokens.verify(unsigned, "svc", now)).isNull();
    }

    @Test
    void htpasswdAcceptsOnlyBcrypt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("htpasswd");
        Files.writeString(file, "bob:{SHA}fEqNCco3Yq9h5ZUglD3CZJT4lBs=\n");
        assertThatThrownBy(() -> HtpasswdFile.load(file)).hasMessageContaining("bcrypt");
        Files.writeString(file, "bob:" + new String(at.favre.lib.crypto.bcrypt.BCrypt.with(
                at.favre.lib.crypto.bcrypt.BCrypt.Version.VERSION_2A).hash(4, "pw".toCharArray())) + "\n");
        HtpasswdFile users = HtpasswdFile.load(file);
        assertThat(users.verify("bob", "pw")).isTrue();
        assertThat(users.verify("bob", "pw")).isTrue();
        assertThat(users.verify("bob", "PW")).isFalse();
        assertThat(users.verify("nobody", "pw")).isFalse();
    }
}
