package io.berth.registry.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;

/**
 * One HTTP request and its response, as {@link RegistryRequest} needs them, whichever server carries it:
 * {@link JdkExchange} (the JDK's HTTPS server) or {@link SocketExchange} (our plain-HTTP server).
 * <p>
 * Life: read the request, set response headers, {@link #sendHead} once, then write exactly the announced
 * length to {@link #responseBody} or with {@link #sendFile} (nothing for HEAD), then {@link #close}.
 */
interface Exchange {
    String method();

    String rawPath();

    /** Still percent-encoded; null when the target has no query. */
    String rawQuery();

    /** The first value of a request header, or null. */
    String requestHeader(String name);

    InetSocketAddress localAddress();

    boolean secure();

    InputStream requestBody();

    void setResponseHeader(String name, String value);

    /**
     * Sends the status line and headers, with {@code Content-Length: length} (0: no body). A HEAD response
     * announces the length a GET would have and carries no body.
     */
    void sendHead(int status, long length) throws IOException;

    /** The status sent by {@link #sendHead}, or -1 before. */
    int status();

    OutputStream responseBody();

    /** Sends {@code count} bytes of {@code file} from {@code position} as (the rest of) the response body. */
    void sendFile(FileChannel file, long position, long count) throws IOException;

    /** Ends the exchange; a response shorter than announced is cut off, which the client notices. */
    void close();
}
