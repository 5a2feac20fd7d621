package io.berth.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cli.Io;
import io.berth.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11's loader table: small projects (files, environment, flags) against the whole text {@code compose config}
 * prints, or its error; {@code $DIR} stands for the project's directory. Each printed model is also loaded again
 * and must print the same text: {@code config}'s output is a compose file.
 */
class ComposeConfigTableTest {
    @TempDir
    Path dir;

    private record Out(int status, String out, String err) {}

    private static Out run(Map<String, String> env, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), fd -> false);
        int status = Main.run(args.toArray(String[]::new), io, env);
        return new Out(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("merge of two -f files", Map.of(
                        "compose.yaml", """
                                name: shop
                                services:
                                  web:
                                    image: web:1
                                    command: ["serve", "--port", "80"]
                                    environment: [A=1, B=2]
                                    ports: ["8080:80"]
                                    volumes: ["data:/data"]
                                    labels: {tier: front}
                                volumes:
                                  data: {}
                                """,
                        "override.yaml", """
                                services:
                                  web:
                                    command: ["serve", "--port", "81"]
                                    environment: {B: "3", C: "4"}
                                    ports: ["8443:443"]
                                    volumes: ["./cache:/cache:ro"]
                                    labels: !reset {}
                                """), Map.of(), List.of("-f", "compose.yaml", "-f", "override.yaml"), """
                        name: shop
                        services:
                          web:
                            image: web:1
                            command:
                            - serve
                            - --port
                            - '81'
                            environment:
                              A: '1'
                              B: '3'
                              C: '4'
                            ports:
                            - mode: ingress
                              target: 80
                              published: '8080'
                              protocol: tcp
                            - mode: ingress
                              target: 443
                              published: '8443'
                              protocol: tcp
                            volumes:
                            - type: volume
                              source: data
                              target: /data
                              volume: {}
                            - type: bind
                              source: $DIR/cache
                              target: /cache
                              read_only: true
                              bind:
                                create_host_path: true
                            networks:
                              default: null
                        networks:
                          default:
                            name: shop_default
                        volumes:
                          data:
                            name: shop_data
                        """),
                Arguments.of("interpolation: .env, defaults, set-but-empty; a literal $ printed as $$ again", Map.of(
                        ".env", "TAG=1.2\nPORT=9000\n",
                        "compose.yaml", """
                                name: interp
                                services:
                                  app:
                                    image: "app:${TAG}"
                                    command: echo "$$HOME ${GREETING:-hello} ${EMPTY-unset} ${EMPTY:-empty} ${UNSET-unset}"
                                    ports: ["${PORT}:80"]
                                    environment:
                                      MODE: ${MODE:?MODE must be set}
                                """), Map.of("MODE", "prod", "EMPTY", "", "PORT", "9100"), List.of("-f", "compose.yaml"), """
                        name: interp
                        services:
                          app:
                            image: app:1.2
                            command:
                            - echo
                            - $$HOME hello  empty unset
                            ports:
                            - mode: ingress
                              target: 80
                              published: '9100'
                              protocol: tcp
                            environment:
                              MODE: prod
                            networks:
                              default: null
                        networks:
                          default:
                            name: interp_default
                        """),
                Arguments.of("a missing required variable", Map.of(
                        "compose.yaml", "services:\n  db:\n    image: \"postgres:${PG_VERSION:?set PG_VERSION to the server's major version}\"\n"),
                        Map.of(), List.of("-f", "compose.yaml"),
                        "ERROR required variable PG_VERSION is missing a value: set PG_VERSION to the server's major version\n"),
                Arguments.of("profiles: --profile enables its services, the others stay out", Map.of(
                        "compose.yaml", """
                                name: prof
                                services:
                                  web: {image: web}
                                  debug: {image: busybox, profiles: [debug]}
                                  tools: {image: busybox, profiles: [tools]}
                                """), Map.of(), List.of("-f", "compose.yaml", "--profile", "debug"), """
                        name: prof
                        services:
                          debug:
                            image: busybox
                            profiles:
                            - debug
                            networks:
                              default: null
                          web:
                            image: web
                            networks:
                              default: null
                        networks:
                          default:
                            name: prof_default
                        """),
                Arguments.of("extends from another file, its relative paths kept relative to it", Map.of(
                        "common/base.yaml", """
                                services:
                                  base:
                                    image: base:1
                                    environment: {LEVEL: info}
                                    volumes: ["./conf:/etc/app"]
                                """,
                        "compose.yaml", """
                                name: ext
                                services:
                                  api:
                                    extends: {file: common/base.yaml, service: base}
                                    environment: {LEVEL: debug, PORT: "8000"}
                                """), Map.of(), List.of("-f", "compose.yaml"), """
                        name: ext
                        services:
                          api:
                            image: base:1
                            environment:
                              LEVEL: debug
                              PORT: '8000'
                            volumes:
                            - type: bind
                              source: $DIR/common/conf
                              target: /etc/app
                              bind:
                                create_host_path: true
                            networks:
                              default: null
                        networks:
                          default:
                            name: ext_default
                        """),
                Arguments.of("an invalid key, named with its path", Map.of(
                        "compose.yaml", "services:\n  web:\n    image: web\n    ports:\n      - target: 80\n        publishd: 8080\n"),
                        Map.of(), List.of("-f", "compose.yaml"),
                        "ERROR validating $DIR/compose.yaml: services.web.ports[0].publishd: additional property not allowed\n"),
                Arguments.of("strings that read as other types keep their quotes", Map.of(
                        "compose.yaml", """
                                name: quoted
                                services:
                                  app:
                                    image: app
                                    command: [run, "81", "1.5", "true", "null", "0x10", "1e3", "-1", "", "on"]
                                """), Map.of(), List.of("-f", "compose.yaml"), """
                        name: quoted
                        services:
                          app:
                            image: app
                            command:
                            - run
                            - '81'
                            - '1.5'
                            - 'true'
                            - 'null'
                            - '0x10'
                            - '1e3'
                            - '-1'
                            - ''
                            - on
                            networks:
                              default: null
                        networks:
                          default:
                            name: quoted_default
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void configPrintsTheExpectedModelOrError(String name, Map<String, String> files, Map<String, String> env, List<String> flags,
                                             String expected) throws IOException {
        for (var f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
        List<String> args = new ArrayList<>(List.of("compose"));
        for (String flag : flags) args.add(flag.endsWith(".yaml") ? dir.resolve(flag).toString() : flag);
        args.add("config");
        Out out = run(env, args);
        String want = expected.replace("$DIR", dir.toString());
        if (want.startsWith("ERROR ")) {
            assertThat(out.status()).isEqualTo(1);
            assertThat(out.err()).isEqualTo(want.substring(6));
            return;
        }
        assertThat(out.status()).as(out.err()).isZero();
        assertThat(out.out()).isEqualTo(want);

        // the printed model is a compose file that loads to the same model
        Path again = Files.createDirectories(dir.resolve("again")).resolve("compose.yaml");
        Files.writeString(again, out.out());
        List<String> reload = new ArrayList<>(List.of("compose", "-f", again.toString()));
        for (int i = 0; i < flags.size(); i++) {
            if (flags.get(i).equals("-f")) i++;
            else reload.add(flags.get(i));  // the same profiles: a profiled service is in the output with its profile
        }
        reload.add("config");
        Out reloaded = run(Map.of(), reload);
        assertThat(reloaded.status()).as(reloaded.err()).isZero();
        assertThat(reloaded.out()).isEqualTo(want);
    }
}
