package io.berth.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The config-hash is the same as the labels berth wrote before (a changed hash would recreate every container once). */
class ConfigHashTest {
    @Test
    void theHashIsSha256OfTheSortedJsonAsJacksonWritesIt() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode service = json.readTree("""
                {"image": "busybox", "command": ["sh", "-c", "echo ü \\"x\\""], "environment": {"B": "2", "A": null},
                 "ports": [{"target": 80, "published": "8080"}], "depends_on": {"db": {}}, "cpus": 0.5}
                """);
        String sorted = "{\"\\u0000image\":\"sha256:1\",\"command\":[\"sh\",\"-c\",\"echo ü \\\"x\\\"\"],\"cpus\":0.5,"
                + "\"environment\":{\"A\":null,\"B\":\"2\"},\"image\":\"busybox\",\"ports\":[{\"published\":\"8080\",\"target\":80}]}";
        assertThat(json.readTree(sorted).toString()).isEqualTo(sorted); // the text Jackson's toString writes
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sorted.getBytes(StandardCharsets.UTF_8)));
        assertThat(ConfigHash.of(service, "sha256:1")).isEqualTo(expected);
    }
}
