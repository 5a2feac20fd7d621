package io.berth.oci;

import io.berth.oci.errors.InvalidArgumentException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageReferenceTest {
    private static final String HEX = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @ParameterizedTest
    @CsvSource({
            // input, domain, path, tag, familiar, canonical
            "busybox, docker.io, library/busybox, latest, busybox:latest, docker.io/library/busybox:latest",
            "busybox:1.36, docker.io, library/busybox, 1.36, busybox:1.36, docker.io/library/busybox:1.36",
            "library/busybox, docker.io, library/busybox, latest, busybox:latest, docker.io/library/busybox:latest",
            "docker.io/busybox, docker.io, library/busybox, latest, busybox:latest, docker.io/library/busybox:latest",
            "index.docker.io/library/busybox, docker.io, library/busybox, latest, busybox:latest, docker.io/library/busybox:latest",
            "user/app:v1, docker.io, user/app, v1, user/app:v1, docker.io/user/app:v1",
            "host:5000/a/b:tag, host:5000, a/b, tag, host:5000/a/b:tag, host:5000/a/b:tag",
            "localhost/app, localhost, app, latest, localhost/app:latest, localhost/app:latest",
            "registry.example.com/team/app, registry.example.com, team/app, latest, registry.example.com/team/app:latest, registry.example.com/team/app:latest",
            "a__b.c-d---e:T_1.x-y, docker.io, library/a__b.c-d---e, T_1.x-y, a__b.c-d---e:T_1.x-y, docker.io/library/a__b.c-d---e:T_1.x-y",
            "Host.Example/app, Host.Example, app, latest, Host.Example/app:latest, Host.Example/app:latest",
    })
    void normalisesLikeDocker(String input, String domain, String path, String tag, String familiar, String canonical) {
        ImageReference ref = ImageReference.parse(input);
        assertThat(ref.domain()).isEqualTo(domain);
        assertThat(ref.path()).isEqualTo(path);
        assertThat(ref.tag()).isEqualTo(tag);
        assertThat(ref.familiar()).isEqualTo(familiar);
        assertThat(ref.canonical()).isEqualTo(canonical);
        assertThat(ImageReference.parse(ref.canonical())).isEqualTo(ref);
    }

    @ParameterizedTest
    @CsvSource({
            "busybox@sha256:" + HEX + ", busybox@sha256:" + HEX + ", docker.io/library/busybox@sha256:" + HEX,
            "busybox:1@sha256:" + HEX + ", busybox:1@sha256:" + HEX + ", docker.io/library/busybox:1@sha256:" + HEX,
    })
    void keepsDigests(String input, String familiar, String canonical) {
        ImageReference ref = ImageReference.parse(input);
        assertThat(ref.digest()).isEqualTo(Digest.parse("sha256:" + HEX));
        assertThat(ref.familiar()).isEqualTo(familiar);
        assertThat(ref.canonical()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Busybox", "busy box", "busybox:", ":tag", "a//b", "-a", "a-", "a..b", "/busybox",
            "busybox/", "busybox@sha256:abc", "busybox:tag:more", "host:5000/UPPER", "busybox:-tag",
            HEX, "bad_domain_/app", "a;b"})
    void rejectsInvalidNames(String input) {
        assertThatThrownBy(() -> ImageReference.parse(input)).isInstanceOf(InvalidArgumentException.class);
    }
}
