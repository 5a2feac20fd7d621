package io.berth.cli.command;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.berth.cli.CliException;

class NetworkCommandsTest {
    @Test
    void pairsGatewaysAndRangesWithTheirSubnet() {
        var c = NetworkCreateCommand.consolidate(List.of("10.1.0.0/16", "fd00:1::/64"), List.of("10.1.2.0/24"),
                List.of("fd00:1::9", "10.1.0.254"));
        assertEquals("{\"Subnet\":\"10.1.0.0/16\",\"IPRange\":\"10.1.2.0/24\",\"Gateway\":\"10.1.0.254\"}", c.get(0).toString());
        assertEquals("{\"Subnet\":\"fd00:1::/64\",\"Gateway\":\"fd00:1::9\"}", c.get(1).toString());
    }

    @Test
    void dockersClientSideErrors() {
        assertEquals("every ip-range or gateway must have a corresponding subnet", assertThrows(CliException.class,
                () -> NetworkCreateCommand.consolidate(List.of(), List.of(), List.of("10.1.1.1"))).getMessage());
        assertEquals("no matching subnet for gateway 10.2.1.1", assertThrows(CliException.class,
                () -> NetworkCreateCommand.consolidate(List.of("10.1.0.0/16"), List.of(), List.of("10.2.1.1"))).getMessage());
        assertEquals("no matching subnet for range 10.2.1.0/24", assertThrows(CliException.class,
                () -> NetworkCreateCommand.consolidate(List.of("10.1.0.0/16"), List.of("10.2.1.0/24"), List.of())).getMessage());
        assertEquals("multiple overlapping subnet configuration is not supported", assertThrows(CliException.class,
                () -> NetworkCreateCommand.consolidate(List.of("10.1.0.0/16", "10.1.1.0/24"), List.of(), List.of())).getMessage());
        assertTrue(assertThrows(CliException.class, () -> NetworkCreateCommand.consolidate(List.of("10.1.0.0/16", "10.2.0.0/16"),
                List.of("10.1.1.0/24", "10.1.2.0/24"), List.of())).getMessage().startsWith("cannot configure multiple ranges"));
    }

    @Test
    void createdAtAsGoPrintsTime() {
        assertEquals("2026-12-07 12:35:44.26056739 +0000 UTC", NetworkRows.goTime("2026-12-07T12:35:44.260567390Z"));
        assertEquals("2026-12-07 12:35:44 +0000 UTC", NetworkRows.goTime("2026-12-07T12:35:44Z"));
    }
}
