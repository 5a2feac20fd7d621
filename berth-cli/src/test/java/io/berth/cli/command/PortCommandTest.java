package io.berth.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PortCommandTest {
    private static final JsonNode PORTS;

    static {
        try {
            PORTS = new ObjectMapper().readTree("""
                    {"443/tcp":[{"HostIp":"127.0.0.1","HostPort":"8443"}],
                     "80/tcp":[{"HostIp":"0.0.0.0","HostPort":"32768"},{"HostIp":"::","HostPort":"32768"}],
                     "81/tcp":null,"53/udp":[{"HostIp":"0.0.0.0","HostPort":"5353"}]}""");
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Test
    void everyBindingNaturallySortedWithBracketedIpv6() {
        assertThat(PortCommand.lines(PORTS, "web", null)).containsExactly(
                "53/udp -> 0.0.0.0:5353", "80/tcp -> 0.0.0.0:32768", "80/tcp -> [::]:32768", "443/tcp -> 127.0.0.1:8443");
    }

    @Test
    void onePrivatePort() {
        assertThat(PortCommand.lines(PORTS, "web", "80")).containsExactly("0.0.0.0:32768", "[::]:32768");
        assertThat(PortCommand.lines(PORTS, "web", "53/udp")).containsExactly("0.0.0.0:5353");
        assertThatThrownBy(() -> PortCommand.lines(PORTS, "web", "81")).hasMessage("Error: No public port '81' published for web");
        assertThatThrownBy(() -> PortCommand.lines(PORTS, "web", "80/udp")).hasMessage("Error: No public port '80/udp' published for web");
    }

    @Test
    void aStoppedContainerHasNoPorts() throws Exception {
        assertThat(PortCommand.lines(new ObjectMapper().readTree("{}"), "web", null)).isEmpty();
    }
}
