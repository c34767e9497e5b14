package dev.ficus.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ficus.http.HostileUpstream;
import dev.ficus.http.RawHttp;
import dev.ficus.server.GatewayServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Request bodies through the pass-through, from a raw-socket client to an upstream that records
 * every byte it gets and how its connection ended: a whole body arrives whole (re-framed by the
 * gateway), and a damaged, cut or too slow one never arrives as complete (the upstream's
 * connection is reset) and gets 400 / 408 when the client is still there. Also the request
 * headers the gateway must fix: Host, and the headers it owns.
 */
class PassThroughUploadTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static HostileUpstream upstream;
  private static GatewayServer gateway;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    upstream = new HostileUpstream();
    Files.writeString(dir.resolve("gateway.yaml"), """
        ficus: gateway/v1
        ioThreads: 1
        limits: { bodyTimeout: 1s, minBodyRate: 1000 }
        upstreams:
          hostile: { url: http://127.0.0.1:%d, timeout: 30s }
        routes:
          - path: /**
            to: hostile
        """.formatted(upstream.port()));
    gateway = GatewayServer.start(dir, k -> null, "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    upstream.close();
  }

  private static Socket client() throws Exception {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), gateway.port());
    s.setSoTimeout(15_000);
    return s;
  }

  private static void send(Socket s, String bytes) throws Exception {
    OutputStream out = s.getOutputStream();
    out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Escaped (\\r\\n) for the CSV sources; {@link #CHUNKED_POST} is the real thing. */
  private static final String CHUNKED_HEAD = "POST /up HTTP/1.1\\r\\nHost: shop.example\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n";
  private static final String CHUNKED_POST = "POST /up HTTP/1.1\r\nHost: shop.example\r\nTransfer-Encoding: chunked\r\n\r\n";

  @Test
  void aWholeChunkedBodyReachesTheUpstreamWholeInTheGatewaysOwnFraming() throws Exception {
    upstream.reply("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    try (Socket s = client()) {
      send(s, CHUNKED_POST + "5;note=x\r\nhello\r\n");
      Thread.sleep(50);
      send(s, "7 \r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n");
      RawHttp.Answer a = RawHttp.read(s.getInputStream());
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.body()).isEqualTo("ok");
    }
    String got = upstream.next(10).text();
    assertThat(got.toLowerCase(Locale.ROOT)).contains("\r\ntransfer-encoding: chunked\r\n").doesNotContain("content-length");
    assertThat(got.substring(got.indexOf("\r\n\r\n") + 4)).isEqualTo("5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n");
  }

  @Test
  void aBodyWithAContentLengthIsPassedOnByteForByte() throws Exception {
    upstream.reply("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
    try (Socket s = client()) {
      send(s, "PUT /doc HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 10\r\n\r\n01234");
      Thread.sleep(50);
      send(s, "56789");
      assertThat(RawHttp.read(s.getInputStream()).status()).isEqualTo(201);
    }
    String got = upstream.next(10).text();
    assertThat(got).startsWith("PUT /doc HTTP/1.1\r\n").containsIgnoringCase("\r\nContent-Length: 10\r\n").endsWith("\r\n\r\n0123456789");
  }

  /**
   * Each damaged body: what the client sends after the head, and whether it then closes its
   * sending side (a half-close, after which it still reads) or stays to read the answer.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "cut after three chunks|" + CHUNKED_HEAD + "|3\\r\\nabc\\r\\n3\\r\\ndef\\r\\n3\\r\\nghi\\r\\n|half-close",
      "cut inside a chunk|" + CHUNKED_HEAD + "|a\\r\\nabc|half-close",
      "a chunk size that is not hex|" + CHUNKED_HEAD + "|zz\\r\\nabc\\r\\n0\\r\\n\\r\\n|stay",
      "a chunk size with 0x|" + CHUNKED_HEAD + "|0x5\\r\\nhello\\r\\n0\\r\\n\\r\\n|stay",
      "a chunk size of 17 hex digits|" + CHUNKED_HEAD + "|10000000000000005\\r\\nhello\\r\\n0\\r\\n\\r\\n|stay",
      "a fixed length cut short|POST /up HTTP/1.1\\r\\nHost: shop.example\\r\\nContent-Length: 100\\r\\n\\r\\n|only forty bytes of the hundred promised.|half-close"})
  void aDamagedBodyNeverReachesTheUpstreamAsCompleteAndTheClientGets400(String name, String head, String body,
      String then) throws Exception {
    upstream.silent();
    try (Socket s = client()) {
      send(s, unescape(head));
      Thread.sleep(100); // the head goes out to the upstream first
      send(s, unescape(body));
      if (then.equals("half-close")) {
        s.shutdownOutput();
      }
      RawHttp.Answer a = RawHttp.read(s.getInputStream());
      assertThat(a.status()).as(name).isEqualTo(400);
      assertThat(a.header("Content-Type")).isEqualTo("application/problem+json");
      // The front end's strict framing (server/RequestFraming) sees most of these first and
      // answers malformed-request; what it passes on, the upload path answers malformed-body.
      assertThat(JSON.readTree(a.body()).get("type").asText()).as(name)
          .isIn("urn:ficus:problem:malformed-body", "urn:ficus:problem:malformed-request");
      assertThat(a.header("Connection")).isEqualToIgnoringCase("close");
    }
    HostileUpstream.Connection c = upstream.next(10);
    assertThat(c).as("the upstream connection ended").isNotNull();
    assertThat(c.end()).as("reset, never ended as if whole").isEqualTo(HostileUpstream.End.RESET);
    String got = c.text();
    assertThat(got).startsWith("POST /up HTTP/1.1\r\n");
    String sent = got.substring(got.indexOf("\r\n\r\n") + 4);
    assertThat(sent).as("no last chunk").doesNotContain("0\r\n\r\n");
    assertThat(got.toLowerCase(Locale.ROOT)).doesNotContain("content-length: 0");
    if (head.contains("Content-Length")) {
      assertThat(sent).isEqualTo(unescape(body));
    }
  }

  @Test
  void aClientThatLeavesInTheMiddleOfItsBodyCostsTheUpstreamAReset() throws Exception {
    upstream.silent();
    try (Socket s = client()) {
      send(s, CHUNKED_POST + "3\r\nabc\r\n3\r\ndef\r\n3\r\nghi\r\n");
      Thread.sleep(200);
    }
    HostileUpstream.Connection c = upstream.next(10);
    assertThat(c.end()).isEqualTo(HostileUpstream.End.RESET);
    assertThat(c.text()).endsWith("3\r\nabc\r\n3\r\ndef\r\n3\r\nghi\r\n");
  }

  @Test
  void aBodyThatStallsPastTheBodyTimeoutGets408AndTheUpstreamAReset() throws Exception {
    upstream.silent();
    long start = System.nanoTime();
    try (Socket s = client()) {
      send(s, "POST /up HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 10\r\n\r\n01234");
      RawHttp.Answer a = RawHttp.read(s.getInputStream());
      assertThat(a.status()).isEqualTo(408);
      assertThat(JSON.readTree(a.body()).get("detail").asText()).contains("limits.bodyTimeout");
    }
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 5_000L);
    HostileUpstream.Connection c = upstream.next(10);
    assertThat(c.end()).isEqualTo(HostileUpstream.End.RESET);
    assertThat(c.text()).endsWith("\r\n\r\n01234");
  }

  @Test
  void aBodyTricklingBelowTheMinimumRateIsCutAfterTheGracePeriod() throws Exception {
    upstream.silent();
    long start = System.nanoTime();
    try (Socket s = client()) {
      send(s, "POST /up HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 1000\r\n\r\n");
      RawHttp.Answer a = null;
      // 20 bytes a second: never a gap of bodyTimeout (1 s), far below minBodyRate (1000).
      s.setSoTimeout(50);
      for (int i = 0; i < 400 && a == null; i++) {
        send(s, "x");
        try {
          a = RawHttp.read(s.getInputStream());
        } catch (java.net.SocketTimeoutException e) {
          // not yet
        }
      }
      assertThat(a).isNotNull();
      assertThat(a.status()).isEqualTo(408);
      assertThat(JSON.readTree(a.body()).get("detail").asText()).contains("limits.minBodyRate");
    } catch (java.net.SocketException e) {
      // the connection may close as the last bytes are written; the upstream's side says the rest
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(ms).as("after the 5 s grace").isBetween(4_900L, 9_000L);
    assertThat(upstream.next(10).end()).isEqualTo(HostileUpstream.End.RESET);
  }

  @Test
  void aClientExpecting100ContinueGetsItFromTheGatewayAndTheUpstreamNoExpect() throws Exception {
    upstream.reply("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    try (Socket s = client()) {
      send(s, "POST /up HTTP/1.1\r\nHost: shop.example\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
      InputStream in = s.getInputStream();
      RawHttp.Answer interim = RawHttp.read(in);
      assertThat(interim.status()).isEqualTo(100);
      send(s, "data");
      RawHttp.Answer a = RawHttp.read(in);
      assertThat(a.status()).isEqualTo(200);
    }
    String got = upstream.next(10).text();
    assertThat(got.toLowerCase(Locale.ROOT)).doesNotContain("expect:");
    assertThat(got).endsWith("\r\n\r\ndata");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "Content-Length and chunked|Content-Length: 5\\r\\nTransfer-Encoding: chunked",
      "two Content-Lengths|Content-Length: 5\\r\\nContent-Length: 6",
      "a coding other than chunked|Transfer-Encoding: gzip"})
  void aRequestWhoseBodyFramingIsAmbiguousGets400AndReachesNoUpstream(String name, String fields) throws Exception {
    upstream.silent();
    try (Socket s = client()) {
      send(s, "POST /up HTTP/1.1\r\nHost: shop.example\r\n" + unescape(fields) + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
      RawHttp.Answer a = RawHttp.read(s.getInputStream());
      assertThat(a.status()).as(name).isEqualTo(400);
    }
    assertThat(upstream.next(1)).as("no upstream connection").isNull();
  }

  @Test
  void anUpstreamAnsweringBeforeTheBodyIsInEndsTheUploadWithoutALastChunk() throws Exception {
    upstream.replyBeforeBody("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 3\r\n\r\nbig");
    try (Socket s = client()) {
      send(s, CHUNKED_POST + "3\r\nabc\r\n");
      RawHttp.Answer a = RawHttp.read(s.getInputStream());
      assertThat(a.status()).isEqualTo(413);
      assertThat(a.body()).isEqualTo("big");
      assertThat(a.header("Connection")).isEqualToIgnoringCase("close");
    }
    HostileUpstream.Connection c = upstream.next(10);
    assertThat(c.text()).doesNotContain("0\r\n\r\n");
  }

  // ---- request heads ------------------------------------------------------------------------

  @Test
  void aConnectionHeaderNamingHostCannotStripTheHost() throws Exception {
    upstream.reply("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    try (Socket s = client()) {
      send(s, "GET /h HTTP/1.1\r\nHost: shop.example\r\nConnection: Host\r\n\r\n");
      assertThat(RawHttp.read(s.getInputStream()).status()).isEqualTo(200);
    }
    assertThat(upstream.next(10).text()).containsIgnoringCase("\r\nHost: shop.example\r\n");
  }

  @Test
  void anHttp10RequestWithoutHostReachesTheUpstreamWithTheListenersAuthority() throws Exception {
    upstream.reply("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    try (Socket s = client()) {
      send(s, "GET /old HTTP/1.0\r\n\r\n");
      assertThat(RawHttp.read(s.getInputStream()).status()).isEqualTo(200);
    }
    String got = upstream.next(10).text();
    assertThat(got).startsWith("GET /old HTTP/1.1\r\n").containsIgnoringCase("\r\nHost: 127.0.0.1:" + gateway.port() + "\r\n");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"GET,''", "POST,hello"})
  void headersTheGatewayOwnsAndAForgedRealIpNeverReachTheUpstream(String method, String body) throws Exception {
    upstream.reply("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    try (Socket s = client()) {
      send(s, method + " /owned HTTP/1.1\r\nHost: shop.example\r\nX-Real-IP: 6.6.6.6\r\nX-Ficus-Shadow: true\r\n"
          + "x-ficus-target: canary\r\nX-Kept: yes\r\n" + (body.isEmpty() ? "" : "Content-Length: " + body.length() + "\r\n")
          + "\r\n" + body);
      assertThat(RawHttp.read(s.getInputStream()).status()).isEqualTo(200);
    }
    String got = upstream.next(10).text().toLowerCase(Locale.ROOT);
    assertThat(got).contains("\r\nx-kept: yes\r\n").doesNotContain("x-real-ip").doesNotContain("x-ficus-")
        .doesNotContain("6.6.6.6");
  }

  @Test
  void aWebSocketHandshakeOnUndertowsProxyLosesTheGatewaysHeadersToo() throws Exception {
    upstream.reply("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
    try (Socket s = client()) {
      send(s, "GET /ws HTTP/1.1\r\nHost: shop.example\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
          + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nX-Ficus-Shadow: true\r\n"
          + "X-Real-IP: 6.6.6.6\r\nX-Kept: yes\r\n\r\n");
      assertThat(RawHttp.read(s.getInputStream()).status()).isEqualTo(403);
    }
    String got = upstream.next(10).text().toLowerCase(Locale.ROOT);
    assertThat(got).contains("\r\nupgrade: websocket\r\n").contains("\r\nx-kept: yes\r\n")
        .doesNotContain("x-ficus-").doesNotContain("x-real-ip");
  }

  private static String unescape(String s) {
    return s.replace("\\r", "\r").replace("\\n", "\n");
  }
}
