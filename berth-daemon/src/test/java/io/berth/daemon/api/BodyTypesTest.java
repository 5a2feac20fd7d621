package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import io.berth.daemon.http.ApiJson;
import io.berth.oci.errors.InvalidArgumentException;

class BodyTypesTest {

    private static void rejects(String body, String message) {
        assertThatThrownBy(() -> BodyTypes.create(ApiJson.MAPPER.readTree(body)))
                .isInstanceOf(InvalidArgumentException.class).hasMessage(message);
    }

    private static void accepts(String body) throws IOException {
        var json = ApiJson.MAPPER.readTree(body);
        assertThatCode(() -> BodyTypes.create(json)).doesNotThrowAnyException();
    }

    @Test
    void aStringForANumberIsRefusedNamingTheField() {
        // Jackson's asLong() made this 0: an unlimited container.
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":\"lots\"}}",
                "invalid JSON: HostConfig.Memory must be an integer that fits in int64, not the string \"lots\"");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"NanoCpus\":\"1000000000\"}}",
                "invalid JSON: HostConfig.NanoCpus must be an integer that fits in int64, not the string \"1000000000\"");
    }

    @Test
    void numbersBeyondInt64AreRefusedNotWrapped() {
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":99999999999999999999999}}",
                "invalid JSON: HostConfig.Memory must be an integer that fits in int64, not the number 99999999999999999999999");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"PidsLimit\":-99999999999999999999999}}",
                "invalid JSON: HostConfig.PidsLimit must be an integer that fits in int64, not the number -99999999999999999999999");
        rejects("{\"Image\":\"busybox\",\"StopTimeout\":4294967296}",
                "invalid JSON: StopTimeout must be an integer that fits in int32, not the number 4294967296");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":4294967297}}}",
                "invalid JSON: HostConfig.RestartPolicy.MaximumRetryCount must be an integer that fits in int32, not the number 4294967297");
    }

    @Test
    void fractionsAndExponentsAreNoIntegers() {
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"CpuShares\":1.5}}",
                "invalid JSON: HostConfig.CpuShares must be an integer that fits in int64, not the number 1.5");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":1e9}}",
                "invalid JSON: HostConfig.Memory must be an integer that fits in int64, not the number 1.0E9");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"BlkioWeight\":70000}}",
                "invalid JSON: HostConfig.BlkioWeight must be an integer from 0 to 65535, not the number 70000");
    }

    @Test
    void otherWrongTypesNameTheirField() {
        rejects("{\"Image\":5}", "invalid JSON: Image must be a string, not the number 5");
        rejects("{\"Image\":\"busybox\",\"Tty\":\"yes\"}", "invalid JSON: Tty must be a boolean, not the string \"yes\"");
        rejects("{\"Image\":\"busybox\",\"Env\":[\"A=1\",2]}", "invalid JSON: Env must be a list of strings, not array");
        rejects("{\"Image\":\"busybox\",\"Labels\":{\"a\":1}}", "invalid JSON: Labels must be an object of strings, not object");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":[]}", "invalid JSON: HostConfig must be an object, not array");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"Privileged\":1}}",
                "invalid JSON: HostConfig.Privileged must be a boolean, not the number 1");
        rejects("[1,2]", "invalid JSON: expected an object");
    }

    @Test
    void execBodiesAreCheckedToo() throws IOException {
        assertThatThrownBy(() -> BodyTypes.exec(ApiJson.MAPPER.readTree("{\"Cmd\":[\"ls\"],\"Tty\":\"yes\"}")))
                .hasMessage("invalid JSON: Tty must be a boolean, not the string \"yes\"");
        assertThatThrownBy(() -> BodyTypes.execStart(ApiJson.MAPPER.readTree("{\"Detach\":1}")))
                .hasMessage("invalid JSON: Detach must be a boolean, not the number 1");
        var ok = ApiJson.MAPPER.readTree("{\"Cmd\":[\"ls\"],\"AttachStdout\":true,\"Env\":null}");
        assertThatCode(() -> BodyTypes.exec(ok)).doesNotThrowAnyException();
        assertThatCode(() -> BodyTypes.execStart(ApiJson.MAPPER.readTree(""))).doesNotThrowAnyException();
    }

    @Test
    void wellTypedBodiesAndNullsPass() throws IOException {
        accepts("{\"Image\":\"busybox\",\"Cmd\":\"sh\",\"Entrypoint\":null,\"StopTimeout\":null,\"Labels\":{\"a\":\"b\"},"
                + "\"HostConfig\":{\"Memory\":67108864,\"MemorySwap\":-1,\"NanoCpus\":1000000000,\"CpuShares\":512,"
                + "\"PidsLimit\":null,\"CapAdd\":\"NET_ADMIN\",\"Tmpfs\":{\"/run\":\"\"},"
                + "\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":3}}}");
    }
}
