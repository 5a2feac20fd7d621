package io.berth.daemon.http;

/** One API operation: decode the request, call a service, encode the answer. */
@FunctionalInterface
public interface Handler {
    void handle(HttpRequest request, HttpResponse response) throws Exception;
}
