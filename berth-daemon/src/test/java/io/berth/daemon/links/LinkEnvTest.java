package io.berth.daemon.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class LinkEnvTest {
    @Test
    void onePortGivesDockersVariablesAndTheChildsEnvWithoutHomeAndPath() {
        List<String> env = LinkEnv.build("/web/my-db", "172.17.0.2", List.of("PATH=/bin", "HOME=/root", "PASSWORD=x", "EMPTY=", "NOEQUALS"),
                List.of("5432/tcp"));
        assertThat(env).containsExactly(
                "MY_DB_PORT=tcp://172.17.0.2:5432",
                "MY_DB_PORT_5432_TCP=tcp://172.17.0.2:5432",
                "MY_DB_PORT_5432_TCP_ADDR=172.17.0.2",
                "MY_DB_PORT_5432_TCP_PORT=5432",
                "MY_DB_PORT_5432_TCP_PROTO=tcp",
                "MY_DB_NAME=/web/my-db",
                "MY_DB_ENV_PASSWORD=x",
                "MY_DB_ENV_EMPTY=");
    }

    @Test
    void noPortsGiveOnlyTheNameAndEnv() {
        assertThat(LinkEnv.build("/web/db", "10.0.0.2", List.of("A=1"), List.of())).containsExactly("DB_NAME=/web/db", "DB_ENV_A=1");
    }

    @Test
    void tcpComesFirstThenOtherProtocolsAndConsecutivePortsAreARange() {
        List<String> env = LinkEnv.build("/web/db", "10.0.0.2", List.of(), List.of("53/udp", "8001/tcp", "8000/tcp", "80"));
        assertThat(env.getFirst()).isEqualTo("DB_PORT=tcp://10.0.0.2:80");
        assertThat(env).contains("DB_PORT_53_UDP=udp://10.0.0.2:53", "DB_PORT_53_UDP_PROTO=udp",
                "DB_PORT_8000_TCP_START=tcp://10.0.0.2:8000", "DB_PORT_8000_TCP_PORT_START=8000",
                "DB_PORT_8000_TCP_END=tcp://10.0.0.2:8001", "DB_PORT_8000_TCP_PORT_END=8001");
        assertThat(env).noneMatch(e -> e.startsWith("DB_PORT_80_TCP_START") || e.startsWith("DB_PORT_53_UDP_START"));
        // every port keeps its own four variables inside a range too
        assertThat(env).filteredOn(e -> e.startsWith("DB_PORT_8001_TCP")).hasSize(4);
    }
}
