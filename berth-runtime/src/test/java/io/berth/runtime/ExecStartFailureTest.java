package io.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the runtime's refusal to start an exec's process becomes Docker's message. */
class ExecStartFailureTest {
    private static final String PREFIX = "OCI runtime exec failed: exec failed: unable to start container process: ";

    @Test
    void aCommandNotInPathIsReportedAsGoDoes() {
        assertThat(ExecStartFailure.of("nosuch", "executable file `nosuch` not found in $PATH: No such file or directory\n").message())
                .isEqualTo(PREFIX + "exec: \"nosuch\": executable file not found in $PATH: unknown");
    }

    @Test
    void aMissingPathIsAFailedStat() {
        assertThat(ExecStartFailure.of("/nosuch", "executable file `/nosuch` not found: No such file or directory").message())
                .isEqualTo(PREFIX + "exec: \"/nosuch\": stat /nosuch: no such file or directory: unknown");
    }

    @Test
    void anUnexecutableFileIsPermissionDenied() {
        assertThat(ExecStartFailure.of("/etc/passwd", "open executable: Permission denied").message())
                .isEqualTo(PREFIX + "exec: \"/etc/passwd\": permission denied: unknown");
    }

    @Test
    void theTerminalsColoursAreNoPartOfTheReason() {
        String onTty = "\u001b[1;31m2026-12-07T13:45:45.747194Z: something else broke\u001b[0m\r\n";
        assertThat(ExecStartFailure.of("x", onTty).message())
                .isEqualTo(PREFIX + "2026-12-07T13:45:45.747194Z: something else broke: unknown");
        assertThat(ExecStartFailure.of("x", "").message()).isEqualTo(PREFIX + "exec: \"x\": could not be started: unknown");
    }

    @Test
    void dockerRecords126WhateverTheCause() {
        assertThat(ExecStartFailure.EXIT_CODE).isEqualTo(126);
    }
}
