package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class InterfaceCountersTest {
    @Test
    void readsEveryInterfaceButLoopbackInDockersFields() {
        String netDev = """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo:     120       2    0    0    0     0          0         0      120       2    0    0    0     0       0          0
                  eth0:    5066      41    1    2    0     0          0         0     1306      15    3    4    0     0       0          0
                """;
        Map<String, InterfaceCounters> counters = InterfaceCounters.parse(netDev);
        assertThat(counters).containsOnlyKeys("eth0");
        assertThat(counters.get("eth0")).isEqualTo(new InterfaceCounters(5066, 41, 1, 2, 1306, 15, 3, 4));
        assertThat(counters.get("eth0").view().keySet()).containsExactly("rx_bytes", "rx_packets", "rx_errors", "rx_dropped",
                "tx_bytes", "tx_packets", "tx_errors", "tx_dropped");
    }
}
