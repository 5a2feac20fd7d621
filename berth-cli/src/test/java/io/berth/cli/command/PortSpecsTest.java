package io.berth.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** -p and --expose on the examples of go-connections' nat tests and docker's documentation. */
class PortSpecsTest {

    private static List<PortSpecs.Binding> p(String spec) {
        return PortSpecs.parseOne(spec);
    }

    private static PortSpecs.Binding b(String port, String ip, String hostPort) {
        return new PortSpecs.Binding(port, ip, hostPort);
    }

    @Test
    void containerPortAloneIsARandomHostPortOnEveryAddress() {
        assertThat(p("1234/tcp")).containsExactly(b("1234/tcp", "", ""));
        assertThat(p("2345/udp")).containsExactly(b("2345/udp", "", ""));
        assertThat(p("3456/sctp")).containsExactly(b("3456/sctp", "", ""));
        assertThat(p("80")).containsExactly(b("80/tcp", "", ""));
        assertThat(p("80/")).containsExactly(b("80/tcp", "", ""));
        assertThat(p("80/UDP")).containsExactly(b("80/udp", "", ""));
    }

    @Test
    void hostPortAndHostIp() {
        assertThat(p("1234:1234/tcp")).containsExactly(b("1234/tcp", "", "1234"));
        assertThat(p("0.0.0.0:1234:1234/tcp")).containsExactly(b("1234/tcp", "0.0.0.0", "1234"));
        assertThat(p("127.0.0.1:8080:80/udp")).containsExactly(b("80/udp", "127.0.0.1", "8080"));
        assertThat(p("127.0.0.1::80")).containsExactly(b("80/tcp", "127.0.0.1", ""));
        assertThat(p("[::1]:80:80")).containsExactly(b("80/tcp", "::1", "80"));
        assertThat(p("[::]:8080:80/tcp")).containsExactly(b("80/tcp", "::", "8080"));
        assertThat(p("::1:80:80")).containsExactly(b("80/tcp", "::1", "80"));
    }

    @Test
    void rangesMapPortByPortOrLetTheDaemonPickInAHostRange() {
        assertThat(p("1234-1236/tcp")).containsExactly(b("1234/tcp", "", ""), b("1235/tcp", "", ""), b("1236/tcp", "", ""));
        assertThat(p("0.0.0.0:1234-1236:1234-1236/tcp")).containsExactly(b("1234/tcp", "0.0.0.0", "1234"),
                b("1235/tcp", "0.0.0.0", "1235"), b("1236/tcp", "0.0.0.0", "1236"));
        assertThat(p("8000-8001:80-81")).containsExactly(b("80/tcp", "", "8000"), b("81/tcp", "", "8001"));
        assertThat(p("8000-8010:80")).containsExactly(b("80/tcp", "", "8000-8010"));
    }

    @Test
    void errorsInTheDockerClisWords() {
        assertThatThrownBy(() -> p("localhost:1234:1234/tcp")).hasMessage("invalid IP address: localhost");
        assertThatThrownBy(() -> p("localhost:1234-1236:1234-1236/tcp")).hasMessage("invalid IP address: localhost");
        assertThatThrownBy(() -> p("8000:80-81")).hasMessage("invalid ranges specified for container and host Ports: 80-81 and 8000");
        assertThatThrownBy(() -> p("8000-8002:80-81")).hasMessage("invalid ranges specified for container and host Ports: 80-81 and 8000-8002");
        assertThatThrownBy(() -> p("8080:abc")).hasMessage("invalid containerPort: abc");
        assertThatThrownBy(() -> p("8080:70000")).hasMessage("invalid containerPort: 70000");
        assertThatThrownBy(() -> p("x:80")).hasMessage("invalid hostPort: x");
        assertThatThrownBy(() -> p("81-80")).hasMessage("invalid containerPort: 81-80");
        assertThatThrownBy(() -> p("8080:")).hasMessage("no port specified: 8080:<empty>");
        assertThatThrownBy(() -> p("80/icmp")).hasMessage("invalid proto: icmp");
    }

    @Test
    void longSyntaxExposeAndTheirMerge() {
        PortSpecs.Parsed parsed = PortSpecs.parse(List.of("published=8080,target=80", "target=53,protocol=udp", "8443:443"),
                List.of("9000-9001", "7000/udp"));
        assertThat(parsed.exposed()).containsExactly("9000/tcp", "9001/tcp", "7000/udp", "80/tcp", "53/udp", "443/tcp");
        assertThat(parsed.bindings().get("80/tcp")).containsExactly(b("80/tcp", "", "8080"));
        assertThat(parsed.bindings().get("53/udp")).containsExactly(b("53/udp", "", ""));
        assertThatThrownBy(() -> PortSpecs.parse(List.of(), List.of("80:80"))).hasMessage("invalid port format for --expose: 80:80");
        assertThatThrownBy(() -> PortSpecs.parse(List.of(), List.of("90-80")))
                .hasMessage("invalid range format for --expose: 90-80, error: invalid range specified for port: 90-80");
        assertThatThrownBy(() -> PortSpecs.parse(List.of("published=8080"), List.of())).hasMessage("missing mandatory field 'target'");
    }
}
