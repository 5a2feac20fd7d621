package io.berth.daemon.api;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.daemon.http.ApiJson;
import io.berth.daemon.http.Router;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;

/**
 * `docker search` (GET /images/search): asks the registry index's search API, as dockerd does, and filters the
 * results (is-official, is-automated, stars). An index that cannot be reached is a 500 naming the request and
 * the cause, which is what dockerd answers offline; a term naming another registry ("host:5000/name") searches
 * that registry's index.
 */
public final class IndexSearchRoutes {
    private static final String DEFAULT_INDEX = "index.docker.io";
    private static final int DEFAULT_LIMIT = 25;
    private static final int MAX_ANSWER = 4 << 20;

    /** Made at the first search, not at berthd's start: an HttpClient loads TLS and the CA certificates (~0.3 s). */
    private static final class Index {
        static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public void register(Router router) {
        router.add("GET", "/images/search", (rq, rs) -> rs.json(200, search(rq.queryParam("term", ""),
                rq.queryInt("limit"), Filters.parse(rq.queryParam("filters")))));
    }

    List<Map<String, Object>> search(String term, Integer limit, Filters filters) throws IOException {
        filters.allowOnly("is-official", "is-automated", "stars");
        if (term.isEmpty()) throw new InvalidArgumentException("term must not be empty");
        int n = limit == null || limit <= 0 ? DEFAULT_LIMIT : limit;
        if (n > 100) throw new InvalidArgumentException("limit " + n + " is outside the range of [1, 100]");
        String index = DEFAULT_INDEX;
        String query = term;
        int slash = term.indexOf('/');
        if (slash > 0) {
            String first = term.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                index = first.equals("docker.io") ? DEFAULT_INDEX : first;
                query = term.substring(slash + 1);
            }
        }
        URI uri = URI.create("https://" + index + "/v1/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&n=" + n);
        JsonNode answer = fetch(uri);
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode r : answer.path("results")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("star_count", r.path("star_count").asInt(0));
            m.put("is_official", r.path("is_official").asBoolean(false));
            m.put("name", r.path("name").asText(""));
            m.put("is_automated", r.path("is_automated").asBoolean(false));
            m.put("description", r.path("description").asText(""));
            if (matches(m, filters)) out.add(m);
        }
        return out;
    }

    private JsonNode fetch(URI uri) throws IOException {
        HttpResponse<byte[]> response;
        try {
            response = Index.HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new SystemFailureException("Get \"" + uri + "\": " + describe(e, uri.getHost()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SystemFailureException("Get \"" + uri + "\": interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new SystemFailureException("Unexpected status code " + response.statusCode() + " from " + uri);
        }
        if (response.body().length > MAX_ANSWER) throw new SystemFailureException("search answer from " + uri + " is too large");
        return ApiJson.MAPPER.readTree(response.body());
    }

    /** java.net.http's exceptions often carry no message of their own: name the innermost cause. */
    private static String describe(Throwable e, String host) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getMessage();
        if (root instanceof java.nio.channels.UnresolvedAddressException || root instanceof java.net.UnknownHostException) {
            return "dial tcp: lookup " + host + ": no such host";
        }
        return message == null || message.isEmpty() ? root.getClass().getSimpleName() : message;
    }

    private static boolean matches(Map<String, Object> result, Filters f) {
        if (f.has("is-official") && !f.get("is-official").contains(result.get("is_official").toString())) return false;
        if (f.has("is-automated") && !f.get("is-automated").contains(result.get("is_automated").toString())) return false;
        if (f.has("stars")) {
            for (String s : f.get("stars")) {
                int min;
                try {
                    min = Integer.parseInt(s);
                } catch (NumberFormatException e) {
                    throw new InvalidArgumentException("invalid filter 'stars=" + s + "'");
                }
                if ((Integer) result.get("star_count") < min) return false;
            }
        }
        return true;
    }
}
