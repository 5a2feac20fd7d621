package io.berth.compose;

import io.berth.client.EngineClient;
import java.io.InputStream;
import java.io.PrintStream;

/** What the compose commands work with: the Engine API client, the streams, and the build-context maker. */
public record ComposeRuntime(EngineClient client, InputStream in, PrintStream out, PrintStream err,
                             boolean stdoutTty, boolean stderrTty, BuildContexts contexts) {}
