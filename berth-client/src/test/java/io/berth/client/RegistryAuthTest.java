package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RegistryAuthTest {

    @Test
    void noCredentialsEncodeAsAnEmptyObject() {
        assertThat(RegistryAuth.NONE.header()).isEqualTo("e30=");
        assertThat(new RegistryAuth("", "", "").header()).isEqualTo("e30=");
    }

    @Test
    void headerIsUrlSafeBase64OfTheJson() {
        // "?>" and "~~" in the password give '+' and '/' in standard base64: they must become '-' and '_'.
        RegistryAuth auth = new RegistryAuth("alice", "s3cr?>~~t", "localhost:5000");
        String header = auth.header();
        assertThat(header).doesNotContain("+", "/");
        String json = new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"username\":\"alice\",\"password\":\"s3cr?>~~t\",\"serveraddress\":\"localhost:5000\"}");
        assertThat(header).isEqualTo(Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void identityTokenTravelsWithoutPassword() {
        RegistryAuth auth = new RegistryAuth("bob", "", "https://index.docker.io/v1/", "tok");
        assertThat(auth.toJson().toString())
                .isEqualTo("{\"username\":\"bob\",\"serveraddress\":\"https://index.docker.io/v1/\",\"identitytoken\":\"tok\"}");
    }
}
