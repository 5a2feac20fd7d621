package io.berth.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The PORTS column of ps, as docker ps groups and orders it. */
class ContainerRowsPortsTest {
    private static String ports(String json) throws Exception {
        return ContainerRows.ports(new ObjectMapper().readTree(json));
    }

    @Test
    void publishedOnTheSamePortNumberRunsBecomeRangesRemappedOnesComeLast() throws Exception {
        assertThat(ports("""
                [{"IP":"0.0.0.0","PrivatePort":8001,"PublicPort":8001,"Type":"tcp"},
                 {"IP":"0.0.0.0","PrivatePort":8000,"PublicPort":8000,"Type":"tcp"},
                 {"IP":"::","PrivatePort":80,"PublicPort":32768,"Type":"tcp"},
                 {"IP":"0.0.0.0","PrivatePort":80,"PublicPort":32768,"Type":"tcp"}]"""))
                .isEqualTo("0.0.0.0:8000-8001->8000-8001/tcp, 0.0.0.0:32768->80/tcp, [::]:32768->80/tcp");
    }

    @Test
    void unpublishedPortsGroupByTypeAndABrokenRunIsListedFirst() throws Exception {
        assertThat(ports("""
                [{"PrivatePort":81,"Type":"tcp"},{"PrivatePort":80,"Type":"tcp"},{"PrivatePort":53,"Type":"udp"},
                 {"PrivatePort":90,"Type":"tcp"}]""")).isEqualTo("80-81/tcp, 53/udp, 90/tcp");
        assertThat(ports("[]")).isEmpty();
    }
}
