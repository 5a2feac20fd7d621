package io.berth.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network create request for a project's network definition, as Docker's API names its fields. */
class NetworkApiTest {
    @TempDir
    Path dir;

    @Test
    void aNetworkDefinitionBecomesDockersCreateBody() throws IOException {
        Files.writeString(dir.resolve("compose.yaml"), """
                services:
                  web: {image: x, networks: [back]}
                networks:
                  back:
                    driver: bridge
                    internal: true
                    driver_opts: {com.docker.network.bridge.name: br-back}
                    labels: [team=web]
                    ipam:
                      options: {foo: bar}
                      config: [{subnet: 172.28.0.0/16, gateway: 172.28.0.1, aux_addresses: {router: 172.28.1.5}}]
                """);
        Project p = ProjectLoader.load(LoadOptions.of(dir, Map.of()).withFiles("compose.yaml").withProjectName("app"));
        var def = p.section("networks").get("back");
        Map<String, String> labels = new LinkedHashMap<>();
        def.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        labels.put("com.docker.compose.network", "back");
        labels.put("com.docker.compose.project", "app");
        assertThat(NetworkApi.createBody(def.get("name").asText(), "bridge", labels, def)).isEqualTo(new ObjectMapper().readTree("""
                {"Name": "app_back", "CheckDuplicate": true, "Driver": "bridge",
                 "Labels": {"team": "web", "com.docker.compose.network": "back", "com.docker.compose.project": "app"},
                 "Internal": true,
                 "Options": {"com.docker.network.bridge.name": "br-back"},
                 "IPAM": {"Driver": "default", "Options": {"foo": "bar"},
                          "Config": [{"Subnet": "172.28.0.0/16", "Gateway": "172.28.0.1", "AuxiliaryAddresses": {"router": "172.28.1.5"}}]}}
                """));
        assertThat(p.service("web").get("networks").has("back")).isTrue();
        assertThat(p.model().at("/networks/default").isMissingNode()).isTrue();
    }
}
