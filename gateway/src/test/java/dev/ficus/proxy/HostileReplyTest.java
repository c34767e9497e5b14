package dev.ficus.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ficus.http.HostileUpstream;
import dev.ficus.http.RawHttp;
import dev.ficus.server.GatewayServer;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Answers no proxy may pass on, from an upstream scripted byte for byte, for a request without
 * a body and for an upload: every one becomes the same 502 problem+json on both, and the
 * upstream's connection is not reused.
 */
class HostileReplyTest {
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
        upstreams:
          hostile: { url: http://127.0.0.1:%d, timeout: 10s }
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

  static Stream<Arguments> hostileReplies() {
    StringBuilder bigHead = new StringBuilder("HTTP/1.1 200 OK\r\n");
    String filler = "X-Filler: " + "f".repeat(1000) + "\r\n";
    while (bigHead.length() < 2 * 1024 * 1024) {
      bigHead.append(filler);
    }
    bigHead.append("Content-Length: 2\r\n\r\nok");
    StringBuilder manyHeaders = new StringBuilder("HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 20_000; i++) {
      manyHeaders.append("X-").append(i).append(": v\r\n");
    }
    manyHeaders.append("Content-Length: 2\r\n\r\nok");
    List<Object[]> replies = List.of(
        new Object[] {"two different Content-Lengths", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 7\r\n\r\nokokokok"},
        new Object[] {"an obs-folded header", "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\nContent-Length: 2\r\n\r\nok"},
        new Object[] {"a 2 MB header block", bigHead.toString()},
        new Object[] {"20 000 headers", manyHeaders.toString()},
        new Object[] {"Content-Length with chunked",
            "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n7\r\nchunked\r\n0\r\n\r\n"},
        new Object[] {"a chunk size that is not hex", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"},
        new Object[] {"a chunked reply cut short", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"},
        new Object[] {"a 204 with a body", "HTTP/1.1 204 No Content\r\n\r\nsurprise"});
    List<Arguments> out = new ArrayList<>();
    for (Object[] r : replies) {
      for (String path : new String[] {"no body", "upload"}) {
        out.add(Arguments.of(r[0] + ", " + path, r[1], path.equals("upload")));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileReplies")
  void aReplyNoProxyMayPassOnIsThe502ProblemOnEveryPath(String name, String reply, boolean upload) throws Exception {
    // Each reply ends its connection: a cut-short one must not be mistaken for a whole one.
    upstream.reply(reply);
    String request = upload
        ? "POST /x HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 5\r\n\r\nhello"
        : "GET /x HTTP/1.1\r\nHost: shop.example\r\n\r\n";
    RawHttp.Answer a;
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      s.setSoTimeout(15_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      a = RawHttp.read(s.getInputStream());
    }
    assertThat(a.status()).as(name + ": " + a.head()).isEqualTo(502);
    assertThat(a.header("Content-Type")).isEqualTo("application/problem+json");
    JsonNode p = JSON.readTree(a.body());
    assertThat(p.get("type").asText()).isEqualTo("urn:ficus:problem:bad-gateway");
    assertThat(p.get("detail").asText()).contains("'hostile'");
    assertThat(upstream.next(10)).as("the upstream connection was used").isNotNull();
  }
}
