package io.berth.daemon.http;

/** What the server asks of a route table: the handler of a method and path. */
public interface RouteTable {
    Router.Match match(String method, String path);
}
