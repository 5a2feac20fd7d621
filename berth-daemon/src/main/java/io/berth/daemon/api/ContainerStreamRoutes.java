package io.berth.daemon.api;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import io.berth.daemon.http.ApiVersion;
import io.berth.daemon.http.HttpRequest;
import io.berth.daemon.http.HttpResponse;
import io.berth.daemon.http.Router;
import io.berth.http.WebSocketHandshake;
import io.berth.http.WebSocketStream;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotImplementedException;
import io.berth.runtime.AttachSession;
import io.berth.runtime.Container;
import io.berth.runtime.ContainerService;
import io.berth.runtime.LogEntry;
import io.berth.runtime.LogReader;

/** The streaming container endpoints: attach (hijacked, or over a WebSocket), logs, resize. */
public final class ContainerStreamRoutes {
    private static final long HEAD_READ_PAUSE_MILLIS = 50;
    /** How long a WebSocket attach that closes first waits for the client's close. */
    private static final Duration WEBSOCKET_CLOSE_WAIT = Duration.ofSeconds(2);
    private final ContainerService containers;

    public ContainerStreamRoutes(ContainerService containers) {
        this.containers = containers;
    }

    public void register(Router router) {
        router.add("POST", "/containers/{id}/attach", this::attach)
              .add("GET", "/containers/{id}/attach/ws", this::attachWebSocket)
              .add("GET", "/containers/{id}/logs", this::logs)
              .add("POST", "/containers/{id}/resize", this::resize);
    }

    private void attach(HttpRequest rq, HttpResponse rs) throws Exception {
        Container c = containers.inspect(rq.pathParam("id"));
        boolean tty = c.spec().process().tty();
        AttachOptions options = AttachOptions.of(rq, c, true);
        String framing = tty ? StreamFraming.RAW : StreamFraming.MULTIPLEXED;
        serveAttach(c, options, () -> {
            HttpResponse.Hijacked conn = rs.hijack(rq.wantsUpgrade(), framing);
            if (options.logs()) letClientReadHead();
            return new AttachConnection(conn.in(), conn.out(), tty, false);
        });
    }

    /**
     * Attach over a WebSocket, as dockerd's {@code /attach/ws}: the container's output goes out raw (never
     * multiplexed: stdout and stderr share the frames), each chunk one binary frame (text frames before API 1.28),
     * and the payload of the client's frames is the container's stdin. Before API 1.42 dockerd attached all three
     * streams whatever the query said. The client's close (or its going away) ends its input, which is handled as
     * the end of a hijacked attach's input, and then the attach: a client that has closed reads no more output
     * (dockerd likewise ends the attach at the end of the input of a container without StdinOnce). berthd answers
     * the close at once, or closes first (1000) when the output ends.
     */
    private void attachWebSocket(HttpRequest rq, HttpResponse rs) throws Exception {
        Container c = containers.inspect(rq.pathParam("id"));
        AttachOptions options = AttachOptions.of(rq, c, !ApiVersion.before(rq.apiVersion(), 42));
        String accept;
        try {
            accept = WebSocketHandshake.accept(rq.head());
        } catch (WebSocketHandshake.Refused e) {
            if (e.wrongVersion()) rs.header("Sec-WebSocket-Version", WebSocketHandshake.VERSION);
            throw new InvalidArgumentException("GET /containers/{id}/attach/ws is a WebSocket endpoint: " + e.getMessage());
        }
        var payload = ApiVersion.before(rq.apiVersion(), 28) ? WebSocketStream.Payload.TEXT : WebSocketStream.Payload.BINARY;
        WebSocketStream[] ws = new WebSocketStream[1];
        try {
            serveAttach(c, options, () -> {
                HttpResponse.Hijacked conn = rs.upgradeToWebSocket(accept);
                ws[0] = new WebSocketStream(conn.in(), conn.out(), payload);
                return new AttachConnection(ws[0].input(), ws[0].output(), true, true);
            });
        } finally {
            if (ws[0] != null) closeWebSocket(ws[0]);
        }
    }

    /**
     * Ends a WebSocket attach: sends close (unless the client's close was answered already) and waits a moment for
     * the client's, so the connection is not torn down under a close frame the client has yet to read. The input is
     * read meanwhile by the attach's stdin reader or, when that has stopped, here.
     */
    private static void closeWebSocket(WebSocketStream ws) throws InterruptedException {
        try {
            ws.close(WebSocketStream.NORMAL_CLOSURE);
        } catch (IOException e) {
            return; // the client is gone
        }
        Thread.ofVirtual().start(() -> {
            try {
                ws.input().transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // a broken or vanished client ends the wait as well as its close does
            }
        });
        // Not interrupted after the wait: the connection's close, when the handler returns, ends its read.
        ws.awaitInputEnd(WEBSOCKET_CLOSE_WAIT);
    }

    /** What an attach asks for, from its query; the checks dockerd makes before it answers (400, 501). */
    private record AttachOptions(boolean stdin, boolean stdout, boolean stderr, boolean logs, boolean stream,
                                 DetachKeys keys) {
        /** @param streamsFromQuery false where every stream is attached whatever the query says (old ws clients) */
        static AttachOptions of(HttpRequest rq, Container c, boolean streamsFromQuery) {
            boolean logs = rq.queryFlag("logs");
            if (logs && !c.spec().lifecycle().log().readable()) {
                throw new NotImplementedException("configured logging driver does not support reading");
            }
            DetachKeys keys = DetachKeys.parse(rq.queryParam("detachKeys"), "Invalid detach keys (%s) provided");
            return new AttachOptions(!streamsFromQuery || rq.queryFlag("stdin"), !streamsFromQuery || rq.queryFlag("stdout"),
                    !streamsFromQuery || rq.queryFlag("stderr"), logs, rq.queryFlag("stream"), keys);
        }
    }

    /**
     * The client's side of an attach once answered.
     *
     * @param raw             output goes out without Docker's 8-byte stream headers
     * @param endsWithInput   the client's input ending ends the attach (a WebSocket's close), after the container's
     *                        stdin has had everything sent before it; the client's frames are read even without
     *                        stdin, for their pings and close
     */
    private record AttachConnection(InputStream in, OutputStream out, boolean raw, boolean endsWithInput) {}

    /** Answers the attach (101/200) once the session exists, so no output between the two is missed. */
    private interface AttachAnswer {
        AttachConnection open() throws IOException, InterruptedException;
    }

    /** The attach itself, whatever the transport: logs, then the live streams until they end or the client detaches. */
    private void serveAttach(Container c, AttachOptions o, AttachAnswer answer) throws Exception {
        boolean tty = c.spec().process().tty();
        if (!o.stream()) {
            // logs=1 without stream: replay what was logged and end.
            AttachConnection conn = answer.open();
            if (o.logs()) {
                try (LogFrames frames = new LogFrames(Channels.newChannel(conn.out()), conn.raw(), o.stdout(), o.stderr())) {
                    replayLogs(c, frames);
                }
            }
            conn.out().flush();
            return;
        }
        AttachSession session = containers.attach(c.id(), o.stdin(), o.stdout(), o.stderr(), o.logs());
        AttachConnection conn = answer.open();
        // Docker watches for the detach keys on a terminal only; detaching ends the attach, the container runs on.
        InputStream client = tty ? o.keys().watch(conn.in()) : conn.in();
        try (session) {
            if (o.stdin() && !o.stdout() && !o.stderr() && c.spec().process().openStdin()) {
                feedOnly(client, conn.endsWithInput() ? endingWith(session) : session.stdin(), session);
            } else {
                StreamFraming framing = new StreamFraming(conn.out(), conn.raw());
                // logs=1: what was logged, in its order, before the live streams' two pumps start
                for (AttachSession.Replayed r : session.replay()) {
                    framing.write(r.stream() == LogEntry.Stream.STDERR ? StreamFraming.STDERR : StreamFraming.STDOUT,
                            r.data(), 0, r.data().length);
                }
                pipe(client, framing, o.stdin() || conn.endsWithInput(),
                        conn.endsWithInput() ? endingWith(session) : session.stdin(), session.stdout(), session.stderr(),
                        session::close);
            }
        }
    }

    /** The session's stdin, whose close (the client's input ended) ends the session once the input is delivered. */
    private static OutputStream endingWith(AttachSession session) {
        return new FilterOutputStream(session.stdin()) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                try {
                    out.close();
                } finally {
                    session.close();
                }
            }
        };
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
    private static void feedOnly(InputStream client, OutputStream in, AttachSession session) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
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
        return pipe(client, framing, withStdin, stdin, stdout, stderr, detach, false);
    }

    /**
     * As above; with {@code drainWhenGone} an output whose client went away is read on to its end and dropped, so
     * that a process nobody reads any more is not left blocked on a full pipe (an exec's own pipes; a container's
     * attach streams are conmon's to drop).
     */
    static boolean pipe(InputStream client, StreamFraming framing, boolean withStdin, OutputStream stdin,
                        InputStream stdout, InputStream stderr, Runnable detach, boolean drainWhenGone) throws InterruptedException {
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
        Thread out = Thread.ofVirtual().start(() -> pumpQuietly(framing, StreamFraming.STDOUT, stdout, drainWhenGone));
        Thread err = Thread.ofVirtual().start(() -> pumpQuietly(framing, StreamFraming.STDERR, stderr, drainWhenGone));
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

    private static void pumpQuietly(StreamFraming framing, int stream, InputStream in, boolean drainWhenGone) {
        try {
            framing.pump(stream, in);
        } catch (IOException gone) {
            // the client disconnected; the process keeps running, as with Docker, its output dropped
            if (!drainWhenGone) return;
            try {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the output ended
            }
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
        // details puts a record's attributes (the labels and env log-opts name) before it, then a space; berth
        // refuses those log-opts, so the attributes are always empty and only the space is left, as dockerd prints it
        boolean details = rq.queryFlag("details");
        LogReader reader = containers.logs(c.id());
        boolean tty = c.spec().process().tty();
        try (WritableByteChannel out = rs.streamChannel(200, tty ? StreamFraming.RAW : StreamFraming.MULTIPLEXED);
             LogFrames frames = new LogFrames(out, tty, stdout, stderr)) {
            // Records are lines: merged into frames, a 200 MB log is a few hundred writes instead of millions; without
            // timestamps the reader copies their data straight into the frames' buffer (LogFrames is a CopySink).
            boolean prefixed = timestamps || details;
            reader.read(options, prefixed, prefixed ? withPrefix(frames, timestamps, details) : frames, () -> {
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

    /** Writes the wanted streams' records as frames, each behind its time and/or its (empty) details, as dockerd. */
    private static LogReader.RecordSink withPrefix(LogFrames frames, boolean timestamps, boolean details) {
        return (stream, nanos, data, off, len, partial) -> {
            if (!frames.wants(stream)) return true;
            int id = LogFrames.streamId(stream);
            try {
                String time = timestamps ? DockerTime.format(Instant.ofEpochSecond(0, nanos)) + " " : "";
                byte[] prefix = (details ? time + " " : time).getBytes(StandardCharsets.US_ASCII);
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
