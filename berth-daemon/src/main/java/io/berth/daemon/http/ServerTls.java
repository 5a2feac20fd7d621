package io.berth.daemon.http;

import javax.net.ssl.SSLContext;

/**
 * TLS for berthd's TCP listeners.
 *
 * @param context the server's certificate and key, and the CA clients' certificates must chain to
 * @param verifyClients whether a client must present such a certificate (dockerd's {@code --tlsverify}); without it
 *                      TLS only encrypts, and anyone who reaches the port is root on the machine
 */
public record ServerTls(SSLContext context, boolean verifyClients) {}
