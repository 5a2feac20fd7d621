package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.daemon.http.ApiJson;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.ContainerSpec;
import io.berth.runtime.health.HealthConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Config.Healthcheck in a create request: accepted, merged over the image's, validated in Docker's words. */
class HealthcheckTranslationTest {
    private static final String ID = "0123456789abcdef".repeat(4);
    private static final long S = 1_000_000_000L;
    private static final HealthConfig IMAGE_CHECK = new HealthConfig(List.of("CMD-SHELL", "test -f /ready"), 10 * S, 3 * S, 0, 0, 5);
    private static final ImageDefaults WITH_CHECK = new ImageDefaults("sha256:" + "b".repeat(64), List.of(), List.of("sh"),
            List.of(), "", "", null, Map.of(), List.of(), List.of(), IMAGE_CHECK, List.of("/bin/ash", "-c"));
    private static final ImageDefaults PLAIN = new ImageDefaults("sha256:" + "c".repeat(64), List.of(), List.of("sh"),
            List.of(), "", "", null, Map.of());

    private final CreateRequestTranslator translator = new CreateRequestTranslator(2);

    private ContainerSpec translate(String body, ImageDefaults image) throws IOException {
        JsonNode json = ApiJson.MAPPER.readTree(body);
        return translator.translate(ID, "web", json, image, List.of(Path.of("/layers/0")));
    }

    @Test
    void theImagesCheckAppliesAndTheRequestWinsFieldByField() throws IOException {
        ContainerSpec inherited = translate("{\"Image\":\"x\"}", WITH_CHECK);
        assertThat(inherited.lifecycle().healthcheck()).isEqualTo(IMAGE_CHECK);
        assertThat(inherited.lifecycle().shell()).containsExactly("/bin/ash", "-c");
        ContainerSpec merged = translate("{\"Image\":\"x\",\"Healthcheck\":{\"Test\":[],\"Interval\":1000000000,\"Retries\":2}}", WITH_CHECK);
        assertThat(merged.lifecycle().healthcheck())
                .isEqualTo(new HealthConfig(List.of("CMD-SHELL", "test -f /ready"), S, 3 * S, 0, 0, 2));
        ContainerSpec disabled = translate("{\"Image\":\"x\",\"Healthcheck\":{\"Test\":[\"NONE\"]}}", WITH_CHECK);
        assertThat(disabled.lifecycle().healthcheck().probes()).isFalse();
        ContainerSpec own = translate("{\"Image\":\"x\",\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"],\"StartPeriod\":2000000000,"
                + "\"StartInterval\":500000000}}", PLAIN);
        assertThat(own.lifecycle().healthcheck()).isEqualTo(new HealthConfig(List.of("CMD", "true"), 0, 0, 2 * S, S / 2, 0));
        assertThat(translate("{\"Image\":\"x\"}", PLAIN).lifecycle().healthcheck()).isNull();
    }

    @Test
    void invalidChecksAreRefusedAsDockerWordsThem() {
        assertThatThrownBy(() -> translate("{\"Image\":\"x\",\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"],\"Interval\":100}}", PLAIN))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("Interval in Healthcheck cannot be less than 1ms");
        assertThatThrownBy(() -> translate("{\"Image\":\"x\",\"Healthcheck\":{\"Retries\":-1}}", PLAIN))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("Retries in Healthcheck cannot be negative");
        assertThatThrownBy(() -> translate("{\"Image\":\"x\",\"Healthcheck\":{\"Test\":[\"BOGUS\"]}}", PLAIN))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("Unknown healthcheck type 'BOGUS'");
    }

    @Test
    void inspectShowsTheMergedConfigWithGosOmitempty() {
        assertThat(HealthcheckJson.render(new HealthConfig(List.of("CMD", "true"), S, 0, 0, 0, 3)))
                .isEqualTo(Map.of("Test", List.of("CMD", "true"), "Interval", S, "Retries", 3));
    }
}
