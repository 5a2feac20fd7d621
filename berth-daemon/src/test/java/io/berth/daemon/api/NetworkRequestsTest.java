package io.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.daemon.http.ApiJson;
import io.berth.network.IpamConfig;
import io.berth.network.NetworkCreateRequest;
import io.berth.oci.errors.InvalidArgumentException;

class NetworkRequestsTest {
    static JsonNode json(String s) throws Exception {
        return ApiJson.MAPPER.readTree(s);
    }

    @Test
    void decodesWhatTheDockerCliSends() throws Exception {
        NetworkCreateRequest rq = NetworkRequests.create(json("""
                {"Name":"n1","CheckDuplicate":true,"Driver":"bridge","Scope":"","EnableIPv4":null,"EnableIPv6":true,
                 "IPAM":{"Driver":"default","Options":{},"Config":[{"Subnet":"10.1.0.0/16","IPRange":"10.1.2.0/24","Gateway":"10.1.0.9"}]},
                 "Internal":true,"Attachable":false,"Ingress":false,"ConfigOnly":false,"ConfigFrom":null,
                 "Options":{"com.docker.network.driver.mtu":"1400"},"Labels":{"a":"b"}}"""));
        assertEquals("n1", rq.name());
        assertTrue(rq.enableIPv6());
        assertTrue(rq.internal());
        assertEquals(List.of(new IpamConfig("10.1.0.0/16", "10.1.2.0/24", "10.1.0.9")), rq.ipamConfigs());
        assertEquals(Map.of("a", "b"), rq.labels());
        assertEquals(Map.of("com.docker.network.driver.mtu", "1400"), rq.options());
    }

    @Test
    void refusesFieldsThatAskForWhatBerthDoesNotDo() {
        for (String body : List.of("{\"Name\":\"n\",\"Ingress\":true}", "{\"Name\":\"n\",\"ConfigFrom\":{\"Network\":\"x\"}}",
                "{\"Name\":\"n\",\"Scope\":\"swarm\"}", "{\"Name\":\"n\",\"Frobnicate\":1}", "{\"Name\":\"n\",\"EnableIPv4\":false}",
                "{\"Name\":\"n\",\"IPAM\":{\"Config\":[{\"Subnet\":\"10.0.0.0/8\",\"AuxiliaryAddresses\":{\"a\":\"10.0.0.5\"}}]}}")) {
            assertThrows(InvalidArgumentException.class, () -> NetworkRequests.create(json(body)), body);
        }
    }

    @Test
    void wrongTypesNameTheField() {
        var e = assertThrows(InvalidArgumentException.class, () -> NetworkRequests.create(json("{\"Name\":5}")));
        assertTrue(e.getMessage().contains("Name must be a string"), e.getMessage());
        assertThrows(InvalidArgumentException.class, () -> NetworkRequests.create(json("{\"Name\":\"n\",\"Internal\":\"yes\"}")));
        assertThrows(InvalidArgumentException.class, () -> NetworkRequests.create(json("{\"Name\":\"n\",\"IPAM\":{\"Config\":[5]}}")));
    }

    @Test
    void connectAndDisconnect() throws Exception {
        var c = NetworkRequests.connect(json("""
                {"Container":"web","EndpointConfig":{"IPAMConfig":{"IPv4Address":"10.1.0.5","IPv6Address":""},"Aliases":["w"],"Links":null}}"""));
        assertEquals("web", c.container());
        assertEquals("10.1.0.5", c.ipv4Address());
        assertNull(c.ipv6Address());
        assertEquals(List.of("w"), c.aliases());
        // docker network connect --link: parsed as a create's links on a user-defined network
        assertEquals(List.of(new io.berth.runtime.NetworkSpec.EndpointLink("a", "b")),
                NetworkRequests.connect(json("{\"Container\":\"web\",\"EndpointConfig\":{\"Links\":[\"a:b\"]}}")).links());
        assertThrows(InvalidArgumentException.class, () -> NetworkRequests.connect(json("{\"Container\":\"web\",\"EndpointConfig\":{\"Links\":[\"a:b:c\"]}}")));
        assertThrows(InvalidArgumentException.class, () -> NetworkRequests.connect(json("{\"Container\":\"web\",\"EndpointConfig\":{\"Links\":\"a:b\"}}")));
        assertThrows(InvalidArgumentException.class, () -> NetworkRequests.connect(json("{}")));
        var d = NetworkRequests.disconnect(json("{\"Container\":\"web\",\"Force\":true}"));
        assertEquals("web", d.container());
        assertTrue(d.force());
    }
}
