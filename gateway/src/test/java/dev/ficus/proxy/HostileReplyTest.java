package dev.ficus.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ficus.TestPki;
import dev.ficus.http.HostileUpstream;
import dev.ficus.http.RawHttp;
import dev.ficus.server.GatewayServer;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

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
 * Answers no proxy may pass on, from an upstream scripted byte for byte, on every way a request
 * can reach an upstream: without a body, with one, from an HTTP/2 client, to an {@code https://}
 * upstream. Every one becomes the same 502 problem+json.
 */
class HostileReplyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static HostileUpstream upstream;
  private static HostileUpstream tlsUpstream;
  private static GatewayServer gateway;
  private static final HttpClient H2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  static java.nio.file.Path dir;

  @BeforeAll
  static void start() throws Exception {
    upstream = new HostileUpstream();
    tlsUpstream = new HostileUpstream(TestPki.serverContext("server"));
    TestPki.copy("ca.pem", dir.resolve("tls/ca.pem"));
    Files.writeString(dir.resolve("gateway.yaml"), """
        ficus: gateway/v1
        ioThreads: 1
        upstreams:
          hostile: { url: http://127.0.0.1:%d, timeout: 10s }
          hostile-tls: { url: "https://127.0.0.1:%d", ca: tls/ca.pem, timeout: 10s }
        routes:
          - path: /tls/**
            to: hostile-tls
            stripPrefix: /tls
          - path: /**
            to: hostile
        """.formatted(upstream.port(), tlsUpstream.port()));
    gateway = GatewayServer.start(dir, k -> null, "127.0.0.1", 0);
    // The HTTP/2 client upgrades its connection (h2c) with a first request; later ones use it.
    upstream.reply("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    HttpResponse<String> warm = H2.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/warm"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(warm.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(upstream.next(10)).isNotNull();
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    upstream.close();
    tlsUpstream.close();
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
      for (Path path : Path.values()) {
        out.add(Arguments.of(r[0] + ", " + path.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), r[1], path));
      }
    }
    return out.stream();
  }

  /** The ways a request reaches an upstream. */
  enum Path { NO_BODY, UPLOAD, HTTP2_UPLOAD, HTTPS_UPSTREAM }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileReplies")
  void aReplyNoProxyMayPassOnIsThe502ProblemOnEveryPath(String name, String reply, Path path) throws Exception {
    HostileUpstream up = path == Path.HTTPS_UPSTREAM ? tlsUpstream : upstream;
    up.reply(reply);
    int status;
    String type;
    String body;
    if (path == Path.HTTP2_UPLOAD) {
      HttpResponse<String> r = H2.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/x"))
          .timeout(Duration.ofSeconds(15)).POST(HttpRequest.BodyPublishers.ofString("hello")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      status = r.statusCode();
      type = r.headers().firstValue("Content-Type").orElse(null);
      body = r.body();
    } else {
      String request = path == Path.NO_BODY
          ? "GET /x HTTP/1.1\r\nHost: shop.example\r\n\r\n"
          : "POST " + (path == Path.HTTPS_UPSTREAM ? "/tls/x" : "/x")
              + " HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 5\r\n\r\nhello";
      RawHttp.Answer a;
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
        s.setSoTimeout(15_000);
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        a = RawHttp.read(s.getInputStream());
      }
      status = a.status();
      type = a.header("Content-Type");
      body = a.body();
    }
    assertThat(status).as(name + ": " + body).isEqualTo(502);
    assertThat(type).isEqualTo("application/problem+json");
    JsonNode p = JSON.readTree(body);
    assertThat(p.get("type").asText()).isEqualTo("urn:ficus:problem:bad-gateway");
    assertThat(p.get("detail").asText()).contains(path == Path.HTTPS_UPSTREAM ? "'hostile-tls'" : "'hostile'");
    assertThat(up.next(10)).as("the upstream connection was used").isNotNull();
  }
}
