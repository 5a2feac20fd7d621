package io.berth.linux;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** epoll_event's layout per architecture, and a real epoll round trip on this machine's. */
class EpollEventTest {
    private static final MethodHandle EPOLL_CREATE1 = Libc.capturingErrno("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = Libc.capturingErrno("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT = Libc.capturingErrno("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle EVENTFD = Libc.capturingErrno("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = Libc.function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final Syscalls SYS = new Syscalls((operation, t) -> new IllegalStateException(operation, t));

    @Test
    void x86_64IsPackedAndAarch64NaturallyAligned() {
        EpollEvent x86 = EpollEvent.of(LinuxArch.X86_64);
        assertThat(x86.size()).isEqualTo(12);
        assertThat(x86.dataOffset()).isEqualTo(4);
        EpollEvent arm = EpollEvent.of(LinuxArch.AARCH64);
        assertThat(arm.size()).isEqualTo(16);
        assertThat(arm.dataOffset()).isEqualTo(8);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment events = a.allocate(arm.layout(), 2);
            arm.set(events, 1, 1, 0x1122334455667788L);
            assertThat(events.get(JAVA_LONG, 16 + 8)).isEqualTo(0x1122334455667788L);
            assertThat(arm.events(events, 1)).isEqualTo(1);
        }
    }

    @Test
    void architecturesAreKnownByTheirJavaNamesAndOthersRefused() {
        assertThat(LinuxArch.fromJava("amd64")).contains(LinuxArch.X86_64);
        assertThat(LinuxArch.fromJava("aarch64")).contains(LinuxArch.AARCH64);
        assertThat(LinuxArch.X86_64.goName()).isEqualTo("amd64");
        assertThat(LinuxArch.AARCH64.goName()).isEqualTo("arm64");
        assertThat(LinuxArch.fromJava("riscv64")).isEmpty();
        String saved = System.getProperty("os.arch");
        try {
            System.setProperty("os.arch", "riscv64");
            assertThat(LinuxArch.isAvailable()).isFalse();
            assertThat(LinuxArch.unavailabilityCause()).get().asString().contains("unsupported architecture riscv64");
            assertThatThrownBy(LinuxArch::current).hasMessageContaining("riscv64");
        } finally {
            System.setProperty("os.arch", saved);
        }
        assertThat(LinuxArch.isAvailable()).isTrue();
    }

    /** Two events, two tokens: with a wrong layout the second token comes back shifted or torn. */
    @Test
    void tokensComeBackThroughTheKernelWithThisMachinesLayout() throws Throwable {
        EpollEvent ev = EpollEvent.current();
        int epfd = SYS.call("epoll_create1", (a, st) -> (int) EPOLL_CREATE1.invokeExact(st, 0));
        int fd1 = SYS.call("eventfd", (a, st) -> (int) EVENTFD.invokeExact(st, 1, 0));
        int fd2 = SYS.call("eventfd", (a, st) -> (int) EVENTFD.invokeExact(st, 1, 0));
        try (Arena a = Arena.ofConfined()) {
            long[] tokens = {0x0102030405060708L, 0x7fedcba987654321L};
            int[] fds = {fd1, fd2};
            for (int i = 0; i < 2; i++) {
                MemorySegment one = a.allocate(ev.layout());
                ev.set(one, 0, 1, tokens[i]);
                int fd = fds[i];
                SYS.call("epoll_ctl", (ar, st) -> (int) EPOLL_CTL.invokeExact(st, epfd, 1, fd, one));
            }
            MemorySegment events = a.allocate(ev.layout(), 4);
            int n = SYS.call("epoll_wait", (ar, st) -> (int) EPOLL_WAIT.invokeExact(st, epfd, events, 4, 1000));
            assertThat(n).isEqualTo(2);
            assertThat(new long[] {ev.data(events, 0), ev.data(events, 1)}).containsExactlyInAnyOrder(tokens);
            assertThat(ev.events(events, 0)).isEqualTo(1);
        } finally {
            for (int fd : new int[] {fd1, fd2, epfd}) {
                int unused = (int) CLOSE.invokeExact(fd);
            }
        }
    }
}
