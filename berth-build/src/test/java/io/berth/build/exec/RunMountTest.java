package io.berth.build.exec;

import io.berth.oci.errors.InvalidArgumentException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunMountTest {
    @Test
    void defaultsAreBuildKits() {
        RunMount bind = RunMount.parse("target=/src", "/");
        assertThat(bind).isEqualTo(new RunMount(RunMount.Type.BIND, "/src", "/", "", "/src", RunMount.Sharing.SHARED, 0755, 0, 0, true, ""));
        RunMount cache = RunMount.parse("type=cache,target=root/.cache", "/home/app");
        assertThat(cache.target()).isEqualTo("/home/app/root/.cache");
        assertThat(cache.id()).isEqualTo("/home/app/root/.cache");
        assertThat(cache.readOnly()).isFalse();
        assertThat(RunMount.parse("type=tmpfs,dst=/t,size=64m", "/")).extracting(RunMount::type, RunMount::size, RunMount::readOnly)
                .containsExactly(RunMount.Type.TMPFS, "64m", false);
    }

    @Test
    void everyKeyIsRead() {
        RunMount c = RunMount.parse("type=cache,destination=/c,id=go,sharing=locked,mode=0700,uid=1000,gid=100,ro", "/");
        assertThat(c).isEqualTo(new RunMount(RunMount.Type.CACHE, "/c", "/", "", "go", RunMount.Sharing.LOCKED, 0700, 1000, 100, true, ""));
        RunMount b = RunMount.parse("type=bind,src=out,target=/in,from=builder,rw", "/");
        assertThat(b).extracting(RunMount::source, RunMount::from, RunMount::readOnly).containsExactly("out", "builder", false);
        assertThat(RunMount.parse("target=/in,readwrite=false", "/").readOnly()).isTrue();
        assertThat(RunMount.parseAll("type=cache,target=/a\ntype=tmpfs,target=/b", "/")).extracting(RunMount::target)
                .containsExactly("/a", "/b");
        assertThat(RunMount.parseAll("", "/")).isEqualTo(List.of());
    }

    @Test
    void refusesWhatBerthDoesNotMakeByName() {
        assertThatThrownBy(() -> RunMount.parse("type=secret,id=token", "/")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("berth does not support RUN --mount=type=secret yet");
        assertThatThrownBy(() -> RunMount.parse("type=ssh", "/")).hasMessage("berth does not support RUN --mount=type=ssh yet");
        assertThatThrownBy(() -> RunMount.parse("type=volume,target=/x", "/")).hasMessage("RUN --mount: unsupported mount type \"volume\"");
        assertThatThrownBy(() -> RunMount.parse("type=cache,target=/x,from=base", "/"))
                .hasMessage("berth does not support \"from=base\" in RUN --mount=type=cache");
        assertThatThrownBy(() -> RunMount.parse("type=tmpfs,target=/x,ro", "/"))
                .hasMessage("berth does not support \"ro\" in RUN --mount=type=tmpfs");
        assertThatThrownBy(() -> RunMount.parse("type=bind,target=/x,required", "/"))
                .hasMessage("berth does not support \"required\" in RUN --mount=type=bind");
        assertThatThrownBy(() -> RunMount.parse("type=cache,target=/x,sharing=sometimes", "/"))
                .hasMessage("RUN --mount: unsupported sharing value \"sometimes\"");
        assertThatThrownBy(() -> RunMount.parse("type=cache,target=/x,mode=888", "/")).hasMessage("RUN --mount: invalid mode \"888\"");
        assertThatThrownBy(() -> RunMount.parse("type=tmpfs,target=/x,size=lots", "/")).hasMessage("RUN --mount: invalid size \"lots\"");
        assertThatThrownBy(() -> RunMount.parse("type=cache", "/")).hasMessage("RUN --mount: a target is required");
        assertThatThrownBy(() -> RunMount.parse("type=cache,target=/a/..", "/")).hasMessage("RUN --mount: cannot mount over / (target /a/..)");
    }
}
