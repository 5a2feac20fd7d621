package io.berth.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.FailedPreconditionException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.oci.errors.SystemFailureException;

class ErrorMapperTest {
    private final ErrorMapper mapper = new ErrorMapper();

    @Test
    void sharedExceptionsMapToDockerStatuses() {
        assertThat(mapper.map(new NotFoundException("no such container: x"))).isEqualTo(new ErrorMapper.ApiError(404, "no such container: x"));
        assertThat(mapper.map(new ConflictException("in use")).status()).isEqualTo(409);
        assertThat(mapper.map(new InvalidArgumentException("bad")).status()).isEqualTo(400);
        assertThat(mapper.map(new FailedPreconditionException("already started")).status()).isEqualTo(304);
        assertThat(mapper.map(new SystemFailureException("disk")).status()).isEqualTo(500);
    }

    @Test
    void invalidJsonIsABadRequest() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> ApiJson.MAPPER.readTree("{not json"));
        ErrorMapper.ApiError error = mapper.map(e);
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.message()).startsWith("invalid JSON: ");
    }

    @Test
    void otherFailuresAreServerErrorsWithAMessage() {
        assertThat(mapper.map(new IllegalArgumentException("nope"))).isEqualTo(new ErrorMapper.ApiError(400, "nope"));
        assertThat(mapper.map(new IllegalStateException("boom"))).isEqualTo(new ErrorMapper.ApiError(500, "boom"));
        assertThat(mapper.map(new NullPointerException()).message()).isEqualTo("java.lang.NullPointerException");
    }
}
