package io.berth.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The create requests berth compose sends for a sample project: Docker's JSON, Compose's names and labels. */
class ContainerSpecTest {
    @TempDir
    Path dir;

    private Project load(String yaml) throws IOException {
        Files.writeString(dir.resolve("compose.yaml"), yaml);
        return ProjectLoader.load(LoadOptions.of(dir, Map.of()).withFiles("compose.yaml").withProjectName("app"));
    }

    @Test
    void aSampleServiceBecomesDockersCreateBody() throws Exception {
        Files.writeString(dir.resolve("db_password.txt"), "secret");
        Project p = load("""
                services:
                  web:
                    image: nginx:1.27
                    command: nginx -g 'daemon off;'
                    environment: [A=1, EMPTY=]
                    ports: ["127.0.0.1:8080:80", "443"]
                    expose: ["9000"]
                    volumes:
                      - data:/data:ro
                      - ./html:/usr/share/nginx/html
                      - type: tmpfs
                        target: /cache
                        tmpfs: {size: 1m}
                    networks:
                      front: {aliases: [www], ipv4_address: 10.5.0.5}
                      back: {}
                    depends_on:
                      db: {condition: service_healthy, restart: true}
                    healthcheck:
                      test: curl -f http://localhost
                      interval: 1m30s
                      timeout: 10s
                      retries: 3
                      start_period: 500ms
                      start_interval: 250ms
                    entrypoint: ["/docker-entrypoint.sh"]
                    restart: on-failure:3
                    user: "101"
                    working_dir: /srv
                    labels: {team: web}
                    stop_signal: SIGQUIT
                    stop_grace_period: 1m
                    init: true
                    read_only: true
                    tmpfs: /run
                    cap_add: [NET_ADMIN]
                    cap_drop: [ALL]
                    mem_limit: 512m
                    cpus: 0.5
                    pids_limit: 100
                    hostname: web
                    extra_hosts: ["somehost:162.242.195.82"]
                    dns: 8.8.8.8
                    logging: {driver: json-file, options: {max-size: 10m}}
                    secrets: [db_password]
                    security_opt: ["no-new-privileges:true"]
                    ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 64}
                    sysctls: {net.core.somaxconn: 1024}
                  db:
                    image: postgres
                volumes:
                  data: {}
                networks:
                  front: {}
                  back: {}
                secrets:
                  db_password: {file: ./db_password.txt}
                """);
        String hash = ConfigHash.of(p.service("web"));
        ContainerSpec.Plan plan = ContainerSpec.plan(p, "web", 1, false, hash, "sha256:0123", s -> "unused");
        assertThat(plan.name()).isEqualTo("app-web-1");
        JsonNode b = plan.body();
        JsonNode expected = new ObjectMapper().readTree("""
                {
                  "Image": "nginx:1.27",
                  "Cmd": ["nginx", "-g", "daemon off;"],
                  "Entrypoint": ["/docker-entrypoint.sh"],
                  "Env": ["A=1", "EMPTY="],
                  "User": "101",
                  "WorkingDir": "/srv",
                  "Hostname": "web",
                  "StopSignal": "SIGQUIT",
                  "StopTimeout": 60,
                  "Healthcheck": {"Test": ["CMD-SHELL", "curl -f http://localhost"], "Interval": 90000000000,
                                  "Timeout": 10000000000, "StartPeriod": 500000000, "StartInterval": 250000000, "Retries": 3},
                  "Labels": {
                    "team": "web",
                    "com.docker.compose.project": "app",
                    "com.docker.compose.service": "web",
                    "com.docker.compose.container-number": "1",
                    "com.docker.compose.oneoff": "False",
                    "com.docker.compose.project.working_dir": "%DIR%",
                    "com.docker.compose.project.config_files": "%DIR%/compose.yaml",
                    "com.docker.compose.config-hash": "%HASH%",
                    "com.docker.compose.version": "2.40.3",
                    "com.docker.compose.depends_on": "db:service_healthy:true",
                    "com.docker.compose.image": "sha256:0123"
                  },
                  "ExposedPorts": {"80/tcp": {}, "443/tcp": {}, "9000/tcp": {}},
                  "NetworkingConfig": {"EndpointsConfig": {"app_back": {"Aliases": ["web"]}}},
                  "HostConfig": {
                    "PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}], "443/tcp": [{"HostIp": "", "HostPort": ""}]},
                    "Binds": ["%DIR%/html:/usr/share/nginx/html"],
                    "Mounts": [
                      {"Type": "volume", "Source": "app_data", "Target": "/data", "ReadOnly": true},
                      {"Type": "tmpfs", "Target": "/cache", "TmpfsOptions": {"SizeBytes": 1048576}},
                      {"Type": "bind", "Source": "%DIR%/db_password.txt", "Target": "/run/secrets/db_password", "ReadOnly": true}
                    ],
                    "Tmpfs": {"/run": ""},
                    "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3},
                    "Init": true,
                    "ReadonlyRootfs": true,
                    "CapAdd": ["NET_ADMIN"],
                    "CapDrop": ["ALL"],
                    "Dns": ["8.8.8.8"],
                    "SecurityOpt": ["no-new-privileges:true"],
                    "Memory": 536870912,
                    "NanoCpus": 500000000,
                    "PidsLimit": 100,
                    "ExtraHosts": ["somehost:162.242.195.82"],
                    "LogConfig": {"Type": "json-file", "Config": {"max-size": "10m"}},
                    "Sysctls": {"net.core.somaxconn": "1024"},
                    "Ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 2048}, {"Name": "nproc", "Soft": 64, "Hard": 64}],
                    "NetworkMode": "app_back"
                  }
                }
                """.replace("%DIR%", dir.toString()).replace("%HASH%", hash));
        assertThat(new ObjectMapper().readTree(b.toString())).isEqualTo(expected);
        // the second network is joined after creation, with the service name and its aliases
        assertThat(plan.moreNetworks()).containsExactly(new ContainerSpec.Attachment("app_front", List.of("web", "www"), "10.5.0.5"));
    }

    @Test
    void namesFollowComposeV2() throws IOException {
        Project p = load("services:\n  web: {image: x, network_mode: none}\n  named: {image: x, container_name: custom}\n  built: {build: .}\n");
        assertThat(ContainerSpec.containerName(p, "web", 3, false)).isEqualTo("app-web-3");
        assertThat(ContainerSpec.containerName(p, "named", 1, false)).isEqualTo("custom");
        assertThat(ContainerSpec.imageOf(p, "built")).isEqualTo("app-built");
        JsonNode body = ContainerSpec.plan(p, "web", 1, false, "h", s -> "x").body();
        assertThat(body.at("/HostConfig/NetworkMode").asText()).isEqualTo("none");
        assertThat(body.has("NetworkingConfig")).isFalse();
        assertThat(p.model().at("/networks/default/name").asText()).isEqualTo("app_default");
        assertThat(p.service("named").at("/networks").has("default")).isTrue();
    }

    @Test
    void networkModeServiceNamesTheOtherServicesContainer() throws IOException {
        Project p = load("services:\n  a: {image: x}\n  b: {image: x, network_mode: \"service:a\"}\n");
        JsonNode body = ContainerSpec.plan(p, "b", 1, false, "h", s -> s.equals("a") ? "abc123" : null).body();
        assertThat(body.at("/HostConfig/NetworkMode").asText()).isEqualTo("container:abc123");
    }

    @Test
    void fieldsBerthComposeDoesNotImplementAreRefusedByName() throws IOException {
        Project p = load("services:\n  web:\n    image: x\n    links: [db]\n  db: {image: x}\n");
        assertThatThrownBy(() -> ContainerSpec.plan(p, "web", 1, false, "h", s -> s))
                .hasMessage("service \"web\": \"links\" is not supported by berth compose (see docs/compose.md)");
        Project q = load("services:\n  web:\n    image: x\n    deploy: {placement: {constraints: [a]}}\n");
        assertThatThrownBy(() -> ContainerSpec.checkSupported("web", q.service("web")))
                .hasMessageContaining("\"deploy.placement\" is not supported");
        Project r = load("services:\n  web:\n    image: x\n    secrets: [s]\nsecrets:\n  s: {environment: HOME}\n");
        assertThatThrownBy(() -> ContainerSpec.plan(r, "web", 1, false, "h", s -> s))
                .hasMessageContaining("only file-based secrets are supported by berth compose");
        Project t = load("services:\n  web:\n    image: x\n    networks:\n      default: {mac_address: 02:42:ac:11:00:02}\n");
        assertThatThrownBy(() -> ContainerSpec.plan(t, "web", 1, false, "h", s -> s))
                .hasMessageContaining("\"networks.default.mac_address\" is not supported");
    }

    @Test
    void relabelPropagationLongDevicesHostListsAndExposeRangesReachTheRequest() throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Project p = load("""
                services:
                  web:
                    image: x
                    network_mode: none
                    volumes:
                      - ./data:/data:z
                      - ./data:/shared:ro,rshared
                      - {type: bind, source: ./data, target: /labelled, bind: {selinux: Z}}
                    devices: ["/dev/null:/dev/nothing:r", {source: /dev/zero, target: /dev/zeros}]
                    extra_hosts: {both: ["10.0.0.1", "10.0.0.2"], one: 10.0.0.3}
                    expose: ["3000-3002", "4000/udp"]
                """);
        JsonNode body = ContainerSpec.plan(p, "web", 1, false, "h", s -> s).body();
        String data = dir.resolve("data").toString();
        assertThat(body.at("/HostConfig/Binds").toString()).isEqualTo("[\"" + data + ":/data:z\",\"" + data + ":/shared:ro,rshared\",\""
                + data + ":/labelled:Z\"]");
        assertThat(body.at("/HostConfig/Devices").toString()).isEqualTo("[{\"PathOnHost\":\"/dev/null\",\"PathInContainer\":\"/dev/nothing\","
                + "\"CgroupPermissions\":\"r\"},{\"PathOnHost\":\"/dev/zero\",\"PathInContainer\":\"/dev/zeros\",\"CgroupPermissions\":\"rwm\"}]");
        assertThat(body.at("/HostConfig/ExtraHosts").toString()).isEqualTo("[\"both:10.0.0.1\",\"both:10.0.0.2\",\"one:10.0.0.3\"]");
        assertThat(ProjectLoader.names((com.fasterxml.jackson.databind.node.ObjectNode) body.get("ExposedPorts")))
                .containsExactly("3000/tcp", "3001/tcp", "3002/tcp", "4000/udp");
        assertThatThrownBy(() -> ContainerSpec.exposeEntry("3002-3000")).hasMessageContaining("invalid expose entry '3002-3000'");
        assertThatThrownBy(() -> load("services:\n  web:\n    image: x\n    volumes: [\"data:/data:z\"]\nvolumes:\n  data: {}\n"))
                .hasMessageContaining("mode z applies to bind mounts only");
    }

    @Test
    void mountKeysWithoutAnEquivalentAreRefusedByName() throws IOException {
        for (String[] c : new String[][] {
                {"{type: bind, source: /tmp, target: /t, consistency: cached}", "\"volumes.consistency\" is not supported"},
                {"{type: bind, source: /tmp, target: /t, bind: {recursive: readonly}}", "\"volumes.bind.recursive\" is not supported"},
                {"{type: volume, source: v, target: /t, volume: {labels: {a: b}}}", "\"volumes.volume.labels\" is not supported"}}) {
            Project p = load("services:\n  web:\n    image: x\n    volumes: [" + c[0] + "]\nvolumes:\n  v: {}\n");
            assertThatThrownBy(() -> ContainerSpec.plan(p, "web", 1, false, "h", s -> s)).hasMessageContaining(c[1]);
        }
    }

    @Test
    void configsAndDeployResourcesMapAsComposeDoesWithoutSwarm() throws IOException {
        Files.writeString(dir.resolve("nginx.conf"), "x");
        Project p = load("""
                services:
                  web:
                    image: x
                    network_mode: none
                    configs: [{source: conf, target: /etc/nginx/nginx.conf}, conf]
                    deploy:
                      replicas: 3
                      resources: {limits: {cpus: "1.5", memory: 1g, pids: 50}, reservations: {memory: 256m}}
                      restart_policy: {condition: on-failure, max_attempts: 2}
                configs:
                  conf: {file: ./nginx.conf}
                """);
        JsonNode host = ContainerSpec.plan(p, "web", 1, false, "h", s -> s).body().get("HostConfig");
        assertThat(host.get("Mounts").toString()).isEqualTo("[{\"Type\":\"bind\",\"Source\":\"" + dir.resolve("nginx.conf")
                + "\",\"Target\":\"/etc/nginx/nginx.conf\",\"ReadOnly\":true},{\"Type\":\"bind\",\"Source\":\"" + dir.resolve("nginx.conf")
                + "\",\"Target\":\"/conf\",\"ReadOnly\":true}]");
        assertThat(host.get("NanoCpus").asLong()).isEqualTo(1_500_000_000L);
        assertThat(host.get("Memory").asLong()).isEqualTo(1L << 30);
        assertThat(host.get("MemoryReservation").asLong()).isEqualTo(256L << 20);
        assertThat(host.get("PidsLimit").asLong()).isEqualTo(50);
        assertThat(host.get("RestartPolicy").toString()).isEqualTo("{\"Name\":\"on-failure\",\"MaximumRetryCount\":2}");
    }

    @Test
    void cpuMemoryAndBlockIoKeysBecomeTheLimitsBerthdApplies() throws IOException {
        Project p = load("""
                services:
                  web:
                    image: x
                    network_mode: none
                    cpuset: "0-1"
                    cpu_period: 50000
                    cpu_quota: 25000
                    cpu_rt_period: 1000000
                    cpu_rt_runtime: 10ms
                    mem_swappiness: 10
                    oom_kill_disable: true
                    blkio_config:
                      weight: 300
                      device_read_bps: [{path: /dev/vda, rate: 12mb}]
                      device_write_iops: [{path: /dev/vda, rate: 120}]
                """);
        JsonNode host = ContainerSpec.plan(p, "web", 1, false, "h", s -> s).body().get("HostConfig");
        assertThat(host.get("CpusetCpus").asText()).isEqualTo("0-1");
        assertThat(host.get("CpuPeriod").asLong()).isEqualTo(50000);
        assertThat(host.get("CpuQuota").asLong()).isEqualTo(25000);
        assertThat(host.get("CpuRealtimePeriod").asLong()).isEqualTo(1000000);
        assertThat(host.get("CpuRealtimeRuntime").asLong()).isEqualTo(10000);
        assertThat(host.get("MemorySwappiness").asLong()).isEqualTo(10);
        assertThat(host.get("OomKillDisable").asBoolean()).isTrue();
        assertThat(host.get("BlkioWeight").asInt()).isEqualTo(300);
        assertThat(host.get("BlkioDeviceReadBps").toString()).isEqualTo("[{\"Path\":\"/dev/vda\",\"Rate\":12582912}]");
        assertThat(host.get("BlkioDeviceWriteIOps").toString()).isEqualTo("[{\"Path\":\"/dev/vda\",\"Rate\":120}]");
    }

    @Test
    void configHashIgnoresKeyOrderAndWhatDoesNotChangeTheContainer() throws IOException {
        Project a = load("services:\n  web: {image: x, environment: {A: '1', B: '2'}, network_mode: none}\n");
        Project b = load("services:\n  web: {network_mode: none, environment: {B: '2', A: '1'}, image: x, deploy: {replicas: 3}, profiles: [p], pull_policy: always}\n");
        Project b2 = ProjectLoader.load(LoadOptions.of(dir, Map.of()).withFiles("compose.yaml").withProjectName("app").withProfiles("p"));
        Project c = load("services:\n  web: {image: x, environment: {A: '1', B: '3'}, network_mode: none}\n");
        assertThat(ConfigHash.of(a.service("web"))).isEqualTo(ConfigHash.of(b2.service("web")));
        assertThat(ConfigHash.of(a.service("web"))).isNotEqualTo(ConfigHash.of(c.service("web")));
        assertThat(ConfigHash.of(a.service("web"))).matches("[0-9a-f]{64}");
        // a rebuilt or newly pulled image changes the hash
        assertThat(ConfigHash.of(a.service("web"), "sha256:1")).isNotEqualTo(ConfigHash.of(a.service("web"), "sha256:2"));
        // stable across runs: a fixed model gives a fixed hash
        assertThat(ConfigHash.of(a.service("web"))).isEqualTo(ConfigHash.of(a.service("web").deepCopy()));
    }

    @Test
    void unitsParseGoDurationsSizesAndShellWords() {
        assertThat(Units.durationNanos("1m30s", "f")).isEqualTo(90_000_000_000L);
        assertThat(Units.durationNanos("1.5s", "f")).isEqualTo(1_500_000_000L);
        assertThat(Units.durationNanos("250ms", "f")).isEqualTo(250_000_000L);
        assertThatThrownBy(() -> Units.durationNanos("10", "stop_grace_period")).hasMessage("stop_grace_period: invalid duration '10'");
        assertThat(Units.bytes("512m", "f")).isEqualTo(512L << 20);
        assertThat(Units.bytes("1GB", "f")).isEqualTo(1L << 30);
        assertThat(Units.bytes("2048", "f")).isEqualTo(2048);
        assertThat(Units.shellWords("sh -c 'echo a  b' \"x\\\"y\" c\\ d")).containsExactly("sh", "-c", "echo a  b", "x\"y", "c d");
    }
}
