package dev.ficus.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.samples.http.HttpSamples;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
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
import java.util.ArrayList;
import java.util.List;
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
 * progress and WebSocket sessions are not. HTTP/2 is spoken as h2c, with prior knowledge or after
 * {@code Upgrade: h2c}, frame by frame on a raw socket, so that nothing but the gateway decides
 * when a connection ends.
 *
 * <p>A new HTTP/2 connection that never opens a stream is closed by the gateway's own listener
 * ({@link ClientConnectionListener}), not by Undertow: Undertow 2.3 arms its HTTP/2 idle timer
 * only when a connection's last stream ends.
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

  private static final byte[] H2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int DATA = 0x0;
  private static final int HEADERS = 0x1;
  private static final int SETTINGS = 0x4;
  private static final int GOAWAY = 0x7;
  private static final int END_STREAM = 0x1;

  /** One HTTP/2 frame as read from the gateway. */
  private record Frame(int type, int flags, int stream, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "Frame[type=" + type + ", flags=" + flags + ", stream=" + stream + ", length=" + payload.length + "]";
    }
  }

  private static byte[] frame(int type, int flags, int stream, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(payload.length >>> 16);
    out.write(payload.length >>> 8);
    out.write(payload.length);
    out.write(type);
    out.write(flags);
    out.write(stream >>> 24);
    out.write(stream >>> 16);
    out.write(stream >>> 8);
    out.write(stream);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /** A GET as one HEADERS frame; HPACK without Huffman: static-table :method, :scheme, names. */
  private static byte[] h2Get(int stream, String path) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.write(0x82); // :method GET
    block.write(0x86); // :scheme http
    block.write(0x04); // :path, literal value
    block.write(path.length());
    block.writeBytes(path.getBytes(StandardCharsets.US_ASCII));
    block.write(0x01); // :authority, literal value
    block.write("127.0.0.1".length());
    block.writeBytes("127.0.0.1".getBytes(StandardCharsets.US_ASCII));
    return frame(HEADERS, 0x4 | END_STREAM, stream, block.toByteArray()); // END_HEADERS | END_STREAM
  }

  /** Opens an h2c connection with prior knowledge: the preface and our (empty) SETTINGS. */
  private static Socket connectH2() throws IOException {
    Socket s = connect();
    s.getOutputStream().write(H2_PREFACE);
    s.getOutputStream().write(frame(SETTINGS, 0, 0, new byte[0]));
    return s;
  }

  /** The next frame from the gateway, or null at the end of the stream. */
  private static Frame readFrame(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    int first = in.read();
    if (first < 0) {
      return null;
    }
    int length = first << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
    int type = in.readUnsignedByte();
    int flags = in.readUnsignedByte();
    int stream = in.readInt() & 0x7fff_ffff;
    return new Frame(type, flags, stream, in.readNBytes(length));
  }

  /** The frames up to {@code stream}'s last DATA frame; fails on a GOAWAY or close before it. */
  private static List<Frame> readAnswer(Socket s, int stream) throws IOException {
    List<Frame> got = new ArrayList<>();
    while (true) {
      Frame f;
      try {
        f = readFrame(s);
      } catch (EOFException | SocketException closed) {
        f = null;
      }
      assertThat(f).as("closed before stream " + stream + " was answered: " + got).isNotNull();
      assertThat(f.type()).as("GOAWAY before stream " + stream + " was answered").isNotEqualTo(GOAWAY);
      got.add(f);
      if (f.stream() == stream && f.type() == DATA && (f.flags() & END_STREAM) != 0) {
        return got;
      }
    }
  }

  /** The answer's :status 200 is HPACK static-table entry 8, the first byte of its header block. */
  private static boolean isOk(List<Frame> answer, int stream) {
    return answer.stream().anyMatch(f -> f.stream() == stream && f.type() == HEADERS
        && f.payload().length > 0 && (f.payload()[0] & 0xff) == 0x88);
  }

  private static String body(List<Frame> answer, int stream) {
    StringBuilder body = new StringBuilder();
    answer.stream().filter(f -> f.stream() == stream && f.type() == DATA).forEach(f -> body.append(f.text()));
    return body.toString();
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
  void anHttp2ConnectionIsSentGoawayAndClosedWhenIdleAfterItsLastAnswer() throws Exception {
    try (Socket s = connectH2()) {
      s.getOutputStream().write(h2Get(1, "/api/orders/1001"));
      List<Frame> answer = readAnswer(s, 1);
      long answered = System.nanoTime();
      assertThat(isOk(answer, 1)).as("200 on stream 1: " + answer).isTrue();
      // Last stream 1, error NO_ERROR: a graceful close the client may retry on a new connection.
      assertGoawayThenClose(s, answered, 1, 5_000L);
    }
  }

  @Test
  void anHttp2RequestWaitingLongerThanTheIdleTimeoutForItsUpstreamGetsItsAnswer() throws Exception {
    try (Socket s = connectH2()) {
      // A first answer arms the idle timer (Undertow arms it only when a connection's last stream
      // ends); the slow request on stream 3 must disarm it.
      s.getOutputStream().write(h2Get(1, "/api/orders/1001"));
      assertThat(isOk(readAnswer(s, 1), 1)).isTrue();
      s.getOutputStream().write(h2Get(3, "/slow?ms=1200"));
      List<Frame> answer = readAnswer(s, 3);
      assertThat(isOk(answer, 3)).as("200 on stream 3: " + answer).isTrue();
      assertThat(body(answer, 3)).contains("\"sleptMs\":1200");
    }
  }

  /** Reads frames until a GOAWAY, which it returns; fails if the connection closes first. */
  private static Frame readUntilGoaway(Socket s) throws IOException {
    Frame f;
    do {
      f = readFrame(s);
      assertThat(f).as("closed without a GOAWAY").isNotNull();
    } while (f.type() != GOAWAY);
    return f;
  }

  /**
   * Asserts that, one idle timeout after {@code since} (nanoTime), {@code s} gets GOAWAY naming
   * {@code lastStream} with NO_ERROR, and is closed within {@code closedWithinMillis} of {@code since}.
   */
  private static void assertGoawayThenClose(Socket s, long since, int lastStream, long closedWithinMillis)
      throws IOException {
    Frame goaway = readUntilGoaway(s);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since)).isBetween(300L, 5_000L);
    assertThat(goaway.payload()).containsExactly(0, 0, 0, lastStream, 0, 0, 0, 0);
    assertThat(millisUntilClosed(s, since)).isLessThan(closedWithinMillis);
  }

  @Test
  void anHttp2ConnectionThatNeverOpensAStreamIsSentGoawayAndClosedAfterTheIdleTimeout() throws Exception {
    try (Socket s = connectH2()) {
      long opened = System.nanoTime();
      // Last stream 0: none was processed.
      assertGoawayThenClose(s, opened, 0, 6_000L);
    }
  }

  @Test
  void anHttp2ConnectionWhoseFirstStreamOutlastsTheIdleTimeoutIsNotCut() throws Exception {
    try (Socket s = connectH2()) {
      // Within the idle timeout of the preface, a request that is answered well after it.
      Thread.sleep(200);
      s.getOutputStream().write(h2Get(1, "/slow?ms=1200"));
      List<Frame> answer = readAnswer(s, 1);
      assertThat(isOk(answer, 1)).as("200 on stream 1: " + answer).isTrue();
      assertThat(body(answer, 1)).contains("\"sleptMs\":1200");
    }
  }

  @Test
  void anUpgradedHttp2ConnectionIsSentGoawayAndClosedWhenIdleAfterItsFirstAnswer() throws Exception {
    try (Socket s = connect()) {
      s.getOutputStream().write(("GET /api/orders/1001 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: \r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      assertThat(readUntil(s, "\r\n\r\n")).startsWith("HTTP/1.1 101");
      s.getOutputStream().write(H2_PREFACE);
      s.getOutputStream().write(frame(SETTINGS, 0, 0, new byte[0]));
      // The upgrade request is stream 1 (RFC 7540, 3.2): its answer comes as HTTP/2.
      List<Frame> answer = readAnswer(s, 1);
      long answered = System.nanoTime();
      assertThat(isOk(answer, 1)).as("200 on stream 1: " + answer).isTrue();
      assertGoawayThenClose(s, answered, 1, 6_000L);
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
