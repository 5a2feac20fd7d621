package io.berth.daemon.api;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.daemon.http.ApiJson;
import io.berth.daemon.http.HttpRequest;
import io.berth.daemon.http.HttpResponse;
import io.berth.daemon.http.Router;
import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.ContainerService;
import io.berth.runtime.ExecSession;
import io.berth.runtime.ExecStartFailure;
import io.berth.runtime.ExecSpec;

/** docker exec: create, start (hijacked or detached), inspect, resize. */
public final class ExecRoutes {
    private static final String EXEC_KEYS_ERROR = "Invalid escape keys (%s) provided";
    private final ContainerService containers;

    public ExecRoutes(ContainerService containers) {
        this.containers = containers;
    }

    public void register(Router router) {
        router.add("POST", "/containers/{id}/exec", this::create)
              .add("POST", "/exec/{id}/start", this::start)
              .add("POST", "/exec/{id}/resize", this::resize)
              .add("GET", "/exec/{id}/json", this::inspect);
    }

    private void create(HttpRequest rq, HttpResponse rs) throws Exception {
        JsonNode body = JsonBody.read(rq, 1024 * 1024);
        BodyTypes.exec(body);
        List<String> cmd = CreateRequestTranslator.strings(body.get("Cmd"));
        if (cmd.isEmpty()) throw new InvalidArgumentException("No exec command specified");
        String detachKeys = detachKeys(body);
        DetachKeys.parse(detachKeys, EXEC_KEYS_ERROR);
        ExecSpec spec = new ExecSpec(cmd, CreateRequestTranslator.strings(body.get("Env")),
                body.path("WorkingDir").asText(""), body.path("User").asText(""), body.path("Tty").asBoolean(false),
                body.path("AttachStdin").asBoolean(false), body.path("Privileged").asBoolean(false), detachKeys);
        ExecSession session = containers.execCreate(rq.pathParam("id"), spec);
        rs.json(201, Map.of("Id", session.id()));
    }

    /** Go decodes JSON field names case-insensitively, and docker-py sends this one as "detachKeys". */
    private static String detachKeys(JsonNode body) {
        for (var fields = body.fields(); fields.hasNext(); ) {
            var field = fields.next();
            if (!field.getKey().equalsIgnoreCase("DetachKeys") || field.getValue().isNull()) continue;
            BodyTypes.check(field.getKey(), BodyTypes.Kind.STRING, field.getValue());
            return field.getValue().asText();
        }
        return "";
    }

    private void start(HttpRequest rq, HttpResponse rs) throws Exception {
        ExecSession session = containers.execSession(rq.pathParam("id"));
        JsonNode body = JsonBody.read(rq, 64 * 1024);
        BodyTypes.execStart(body);
        boolean detach = body != null && body.path("Detach").asBoolean(false);
        if (session.inspect().started()) throw new ConflictException("exec " + session.id() + " has already been started");
        containers.execStart(session.id());
        if (detach) {
            session.discardOutput();
            rs.empty(200);
            return;
        }
        // As in Docker, the framing follows the start request's Tty (absent: false), whatever the exec was created
        // with: a process on a terminal read without one arrives as stdout frames.
        boolean rawStream = body != null && body.path("Tty").asBoolean(false);
        JsonNode size = body == null ? null : body.get("ConsoleSize");
        if (size != null && size.isArray() && size.size() == 2) session.resize(size.get(0).asInt(), size.get(1).asInt());
        HttpResponse.Hijacked conn = rs.hijack(rq.wantsUpgrade(), rawStream ? StreamFraming.RAW : StreamFraming.MULTIPLEXED);
        StreamFraming framing = new StreamFraming(conn.out(), rawStream);
        // as in Docker the detach keys are watched for when the exec was created with a terminal
        InputStream client = session.spec().tty()
                ? DetachKeys.parse(session.spec().detachKeys(), EXEC_KEYS_ERROR).watch(conn.in()) : conn.in();
        // a client that goes away leaves the process running with its output dropped, as dockerd does: never blocked
        // on a pipe nobody reads, and this request ends with it
        boolean detached = ContainerStreamRoutes.pipe(client, framing, session.spec().attachStdin(), session.stdin(),
                session.stdout(), session.stderr(), session::detach, true);
        // the process runs on; its exit is for exec inspect
        if (detached || session.detached()) return;
        // The client asks for the exit code as soon as the stream ends: it must be recorded by then.
        session.waitFor();
        ExecStartFailure failure = session.startFailure();
        if (failure != null) {
            // Docker writes why the process could not start on the stream's stdout; the exit code says 126
            byte[] line = (failure.message() + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            try {
                framing.write(StreamFraming.STDOUT, line, 0, line.length);
            } catch (java.io.IOException ignored) {
                // the client went away
            }
        }
    }

    private void resize(HttpRequest rq, HttpResponse rs) throws Exception {
        Integer h = rq.queryInt("h");
        Integer w = rq.queryInt("w");
        if (h == null || w == null) throw new InvalidArgumentException("resize needs h and w");
        containers.execSession(rq.pathParam("id")).resize(h, w);
        rs.empty(200);
    }

    private void inspect(HttpRequest rq, HttpResponse rs) throws Exception {
        ExecSession.Inspect i = containers.execSession(rq.pathParam("id")).inspect();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", i.id());
        m.put("Running", i.running());
        m.put("ExitCode", i.exitCode());
        m.put("ProcessConfig", Map.of("tty", i.spec().tty(), "entrypoint", i.spec().args().getFirst(),
                "arguments", i.spec().args().subList(1, i.spec().args().size()), "privileged", i.spec().privileged(),
                "user", i.spec().user()));
        m.put("OpenStdin", i.spec().attachStdin());
        m.put("OpenStderr", true);
        m.put("OpenStdout", true);
        m.put("CanRemove", false);
        m.put("ContainerID", i.containerId());
        // Docker shows the keys' codes, base64 as Go encodes bytes; none given: empty
        String keys = i.spec().detachKeys();
        m.put("DetachKeys", keys.isEmpty() ? ""
                : java.util.Base64.getEncoder().encodeToString(DetachKeys.parse(keys, EXEC_KEYS_ERROR).sequence()));
        m.put("Pid", i.pid());
        rs.json(200, m);
    }
}
