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

    @Test
    void countFromTheBaselineTakenWhenTheContainerGotItsNamespace() {
        InterfaceCounters now = new InterfaceCounters(5066, 41, 1, 2, 1306, 15, 3, 4);
        InterfaceCounters atHandOver = new InterfaceCounters(5000, 40, 1, 0, 1300, 14, 0, 4);
        assertThat(now.since(atHandOver)).isEqualTo(new InterfaceCounters(66, 1, 0, 2, 6, 1, 3, 0));
        assertThat(now.since(null)).as("a namespace made for the container").isEqualTo(now);
        // an interface removed and made again since (disconnect, connect) counts from its own zero
        assertThat(new InterfaceCounters(10, 1, 0, 0, 10, 1, 0, 0).since(atHandOver)).isEqualTo(new InterfaceCounters(10, 1, 0, 0, 10, 1, 0, 0));
    }
}
