package dev.ficus.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.samples.http.HttpSamples;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener's client timeouts ({@code limits.idleTimeout}, {@code limits.requestHeadTimeout})
 * against the sample monolith on loopback: idle and half-sent connections are closed, requests in
 * progress and WebSocket sessions are not.
 */
class ClientTimeoutsTest {
  private static HttpSamples http;
  private static GatewayServer gateway;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    http = HttpSamples.start("127.0.0.1", 0, 0);
    Files.writeString(dir.resolve("gateway.yaml"), """
        ficus: gateway/v1
        limits:
          idleTimeout: 400ms
          requestHeadTimeout: 1500ms
        upstreams:
          monolith: { url: %s }
        routes:
          - path: /**
            to: monolith
        """.formatted(http.monolithUrl()));
    gateway = GatewayServer.start(dir, k -> null, "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    http.close();
  }

  private static Socket connect() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), gateway.port());
    s.setSoTimeout(10_000);
    return s;
  }

  /** Millis until the gateway closes {@code s} (reads and drops whatever it sends first). */
  private static long millisUntilClosed(Socket s, long since) throws IOException {
    InputStream in = s.getInputStream();
    try {
      while (in.read() >= 0) {
        // an answer before the close
      }
    } catch (SocketException reset) {
      // closed with a reset: closed all the same
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
  }

  /** What the gateway sends on {@code s} up to and including {@code marker}; fails if it closes first. */
  private static String readUntil(Socket s, String marker) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    while (!got.toString(StandardCharsets.ISO_8859_1).contains(marker)) {
      int c = in.read();
      assertThat(c).as("closed before '" + marker + "': " + got).isNotNegative();
      got.write(c);
    }
    return got.toString(StandardCharsets.ISO_8859_1);
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws Exception {
    try (Socket s = connect()) {
      long start = System.nanoTime();
      assertThat(millisUntilClosed(s, start)).isBetween(300L, 5_000L);
    }
  }

  @Test
  void aKeptAliveConnectionIsClosedWhenIdleAfterItsAnswer() throws Exception {
    try (Socket s = connect()) {
      s.getOutputStream().write(get("/api/orders/1001").getBytes(StandardCharsets.US_ASCII));
      assertThat(readUntil(s, "\r\n\r\n")).startsWith("HTTP/1.1 200");
      long answered = System.nanoTime();
      assertThat(millisUntilClosed(s, answered)).isBetween(300L, 5_000L);
    }
  }

  @Test
  void halfARequestHeadIsNotWaitedForBeyondTheHeadTimeout() throws Exception {
    try (Socket s = connect()) {
      long start = System.nanoTime();
      s.getOutputStream().write("GET /api/orders/1001 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      // The head timeout (1.5 s), not the idle one (0.4 s), once a request has begun to arrive.
      assertThat(millisUntilClosed(s, start)).isBetween(1_300L, 6_000L);
    }
  }

  @Test
  void aRequestWaitingLongerThanTheIdleTimeoutForItsUpstreamGetsItsAnswer() throws Exception {
    try (Socket s = connect()) {
      s.getOutputStream().write(get("/slow?ms=1200").getBytes(StandardCharsets.US_ASCII));
      assertThat(readUntil(s, "\"sleptMs\":1200")).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void aWebSocketSessionOutlivesTheIdleTimeout() throws Exception {
    CompletableFuture<String> received = new CompletableFuture<>();
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + gateway.port() + "/ws/echo"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            received.complete(data.toString());
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    Thread.sleep(Duration.ofMillis(1200).toMillis());
    ws.sendText("still here", true).get(5, TimeUnit.SECONDS);
    assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("still here");
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
  }
}
