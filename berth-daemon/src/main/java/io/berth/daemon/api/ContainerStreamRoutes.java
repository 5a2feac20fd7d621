package io.berth.daemon.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import io.berth.daemon.http.HttpRequest;
import io.berth.daemon.http.HttpResponse;
import io.berth.daemon.http.Router;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotImplementedException;
import io.berth.runtime.AttachSession;
import io.berth.runtime.Container;
import io.berth.runtime.ContainerService;
import io.berth.runtime.LogReader;

/** The streaming container endpoints: attach (hijacked), logs, resize. */
public final class ContainerStreamRoutes {
    private static final long HEAD_READ_PAUSE_MILLIS = 50;
    private final ContainerService containers;

    public ContainerStreamRoutes(ContainerService containers) {
        this.containers = containers;
    }

    public void register(Router router) {
        router.add("POST", "/containers/{id}/attach", this::attach)
              .add("GET", "/containers/{id}/logs", this::logs)
              .add("POST", "/containers/{id}/resize", this::resize);
    }

    private void attach(HttpRequest rq, HttpResponse rs) throws Exception {
        Container c = containers.inspect(rq.pathParam("id"));
        boolean stdin = rq.queryFlag("stdin");
        boolean stdout = rq.queryFlag("stdout");
        boolean stderr = rq.queryFlag("stderr");
        boolean tty = c.spec().process().tty();
        if (rq.queryFlag("logs") && !c.spec().lifecycle().log().readable()) {
            throw new NotImplementedException("configured logging driver does not support reading");
        }
        DetachKeys keys = DetachKeys.parse(rq.queryParam("detachKeys"), "Invalid detach keys (%s) provided");
        if (!rq.queryFlag("stream")) {
            // logs=1 without stream: replay what was logged and end.
            OutputStream out = rs.hijack(rq.wantsUpgrade(), tty ? StreamFraming.RAW : StreamFraming.MULTIPLEXED).out();
            if (rq.queryFlag("logs")) {
                letClientReadHead();
                try (LogFrames frames = new LogFrames(Channels.newChannel(out), tty, stdout, stderr)) {
                    replayLogs(c, frames);
                }
            }
            out.flush();
            return;
        }
        AttachSession session = containers.attach(c.id(), stdin, stdout, stderr, rq.queryFlag("logs"));
        HttpResponse.Hijacked conn = rs.hijack(rq.wantsUpgrade(), tty ? StreamFraming.RAW : StreamFraming.MULTIPLEXED);
        if (rq.queryFlag("logs")) letClientReadHead();
        // Docker watches for the detach keys on a terminal only; detaching ends the attach, the container runs on.
        InputStream client = tty ? keys.watch(conn.in()) : conn.in();
        try (session) {
            if (stdin && !stdout && !stderr && c.spec().process().openStdin()) {
                feedOnly(client, session);
            } else {
                pipe(client, new StreamFraming(conn.out(), tty), stdin, session.stdin(), session.stdout(), session.stderr(),
                        session::close);
            }
        }
    }

    /**
     * Gives the client a moment to read the response head before logs follow it. docker-py reads the head through
     * a buffered reader and then the stream from the raw socket: bytes that arrived with the head are lost to it
     * (an attach with logs=1 came back empty in most runs). dockerd's own log reading leaves that moment.
     */
    private static void letClientReadHead() throws InterruptedException {
        Thread.sleep(HEAD_READ_PAUSE_MILLIS);
    }

    /**
     * An attach for stdin alone has no output whose end would end it: as in Docker it lasts until the client ends
     * its input (which is then delivered in full) or the container stops.
     */
    private static void feedOnly(InputStream client, AttachSession session) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            OutputStream in = session.stdin();
            try {
                client.transferTo(in);
            } catch (IOException ignored) {
                // the client went away or the container stopped: both end the attach
            }
            // a client that detached leaves the container's stdin open
            if (!(client instanceof DetachingInputStream d && d.detached())) closeQuietly(in);
            done.countDown();
        });
        Thread.ofVirtual().start(() -> {
            try {
                session.awaitEnd();
            } catch (InterruptedException ignored) {
                // not interrupted: the thread ends with the session
            }
            done.countDown();
        });
        done.await();
    }

    /**
     * Shuttles bytes between a hijacked connection and a process: client → stdin on one virtual thread,
     * stdout/stderr → framed client output on two more; returns when both outputs have ended. A client that
     * types the detach keys ({@link DetachingInputStream}) leaves the process's stdin open and has its outputs
     * ended by {@code detach}.
     *
     * @return whether the client detached
     */
    static boolean pipe(InputStream client, StreamFraming framing, boolean withStdin, OutputStream stdin,
                        InputStream stdout, InputStream stderr, Runnable detach) throws InterruptedException {
        AtomicBoolean detached = new AtomicBoolean();
        if (withStdin) {
            // Not interrupted when the outputs end: interrupting a read on the socket channel would close the
            // connection before the caller has recorded the exit code. The server closes it on return.
            Thread.ofVirtual().start(() -> {
                try {
                    client.transferTo(stdin);
                } catch (IOException ignored) {
                    // the client went away or the process closed its stdin: both end input only
                }
                if (client instanceof DetachingInputStream d && d.detached()) {
                    detached.set(true);
                    detach.run();
                } else {
                    closeQuietly(stdin);
                }
            });
        }
        Thread out = Thread.ofVirtual().start(() -> pumpQuietly(framing, StreamFraming.STDOUT, stdout));
        Thread err = Thread.ofVirtual().start(() -> pumpQuietly(framing, StreamFraming.STDERR, stderr));
        out.join();
        err.join();
        return detached.get();
    }

    private static void closeQuietly(OutputStream stdin) {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the process's stdin is gone already
        }
    }

    private static void pumpQuietly(StreamFraming framing, int stream, InputStream in) {
        try {
            framing.pump(stream, in);
        } catch (IOException ignored) {
            // the client disconnected; the process keeps running, as with Docker
        }
    }

    private void logs(HttpRequest rq, HttpResponse rs) throws Exception {
        boolean stdout = rq.queryFlag("stdout");
        boolean stderr = rq.queryFlag("stderr");
        if (!stdout && !stderr) throw new InvalidArgumentException("Bad parameters: you must choose at least one stream");
        Container c = containers.inspect(rq.pathParam("id"));
        String tailParam = rq.queryParam("tail", "all");
        int tail;
        try {
            tail = tailParam.equals("all") || tailParam.isEmpty() ? -1 : Integer.parseInt(tailParam);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("invalid tail value: " + tailParam);
        }
        var options = new LogReader.Options(rq.queryFlag("follow"), DockerTime.parse(rq.queryParam("since")),
                DockerTime.parse(rq.queryParam("until")), tail);
        boolean timestamps = rq.queryFlag("timestamps");
        LogReader reader = containers.logs(c.id());
        boolean tty = c.spec().process().tty();
        try (WritableByteChannel out = rs.streamChannel(200, tty ? StreamFraming.RAW : StreamFraming.MULTIPLEXED);
             LogFrames frames = new LogFrames(out, tty, stdout, stderr)) {
            // Records are lines: merged into frames, a 200 MB log is a few hundred writes instead of millions; without
            // timestamps the reader copies their data straight into the frames' buffer (LogFrames is a CopySink).
            reader.read(options, timestamps, timestamps ? withTimestamps(frames) : frames, () -> {
                try {
                    frames.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            // the client went away between two flushes
        }
    }

    /** Writes the wanted streams' records as frames, each line behind its time. */
    private static LogReader.RecordSink withTimestamps(LogFrames frames) {
        return (stream, nanos, data, off, len, partial) -> {
            if (!frames.wants(stream)) return true;
            int id = LogFrames.streamId(stream);
            try {
                byte[] prefix = (DockerTime.format(Instant.ofEpochSecond(0, nanos)) + " ").getBytes(StandardCharsets.US_ASCII);
                frames.append(id, prefix, 0, prefix.length);
                frames.append(id, data, off, len);
                return true;
            } catch (IOException e) {
                return false; // the client went away
            }
        };
    }

    private void replayLogs(Container c, LogFrames frames) {
        containers.logs(c.id()).read(LogReader.Options.ALL, false, frames, () -> {
            try {
                frames.flush();
            } catch (IOException e) {
                // the client went away; the attach ends with it
            }
        });
    }

    private void resize(HttpRequest rq, HttpResponse rs) throws Exception {
        Integer h = rq.queryInt("h");
        Integer w = rq.queryInt("w");
        if (h == null || w == null || h < 0 || w < 0) throw new InvalidArgumentException("resize needs h and w");
        containers.resize(rq.pathParam("id"), h, w);
        rs.empty(200);
    }

}
