package io.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class WebSocketHandshakeTest {
    private static RequestHead head(String fields) throws IOException {
        return RequestHead.read(new ByteArrayInputStream(("GET /containers/x/attach/ws HTTP/1.1\r\nHost: berthd\r\n" + fields + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void answersTheRfcsExampleKey() throws Exception {
        RequestHead h = head("Upgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
        assertThat(WebSocketHandshake.accept(h)).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void tokensCompareWithoutCase() throws Exception {
        RequestHead h = head("upgrade: WebSocket\r\nconnection: upgrade\r\n"
                + "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n");
        assertThat(WebSocketHandshake.accept(h)).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void refusesWhatIsNoVersion13Upgrade() throws Exception {
        String key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        assertThatThrownBy(() -> WebSocketHandshake.accept(head("")))
                .isInstanceOf(WebSocketHandshake.Refused.class).hasMessageContaining("not a WebSocket upgrade");
        assertThatThrownBy(() -> WebSocketHandshake.accept(head("Upgrade: tcp\r\nConnection: Upgrade\r\n" + key
                + "Sec-WebSocket-Version: 13\r\n"))).hasMessageContaining("not a WebSocket upgrade");
        assertThatThrownBy(() -> WebSocketHandshake.accept(head("Upgrade: websocket\r\n" + key
                + "Sec-WebSocket-Version: 13\r\n"))).hasMessageContaining("Connection: Upgrade");
        assertThatThrownBy(() -> WebSocketHandshake.accept(head("Upgrade: websocket\r\nConnection: Upgrade\r\n" + key
                + "Sec-WebSocket-Version: 8\r\n")))
                .isInstanceOfSatisfying(WebSocketHandshake.Refused.class, r -> assertThat(r.wrongVersion()).isTrue())
                .hasMessageContaining("version '8'");
        assertThatThrownBy(() -> WebSocketHandshake.accept(head("Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n")))
                .isInstanceOfSatisfying(WebSocketHandshake.Refused.class, r -> assertThat(r.wrongVersion()).isFalse())
                .hasMessageContaining("invalid Sec-WebSocket-Key ''");
        assertThatThrownBy(() -> WebSocketHandshake.accept(head("Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n"))).hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> WebSocketHandshake.accept(head("Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: !!!not base64!!!\r\nSec-WebSocket-Version: 13\r\n"))).hasMessageContaining("16 bytes");
    }
}
