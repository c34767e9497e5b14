package dev.ficus.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ficus.http.RawHttp;
import dev.ficus.http.ScriptedUpstream;
import dev.ficus.server.GatewayServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lean HTTP/1.1 pass-through ({@link Http1Exchange}) against an upstream that answers with
 * exactly the bytes each test scripts, as a real socket server on loopback: framings, interim
 * answers, broken heads, connections closed under it, timeouts in the middle of a body, and the
 * connection limit.
 */
class Http1ExchangeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static ScriptedUpstream upstream;
  /** An upstream that reads a request and never answers: it tells when the gateway lets go. */
  private static ServerSocket holding;
  private static GatewayServer gateway;
  private static String base;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    upstream = new ScriptedUpstream();
    holding = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Files.writeString(dir.resolve("gateway.yaml"), """
        ficus: gateway/v1
        ioThreads: 1
        upstreams:
          scripted: { url: http://127.0.0.1:%d/base, timeout: 1500ms, maxConnections: 2 }
          rewritten: { url: http://127.0.0.1:%d, host: rewrite }
          balanced: { urls: [http://127.0.0.1:%d/dead, http://127.0.0.1:%d/live] }
          single: { url: http://127.0.0.1:%d/single, timeout: 1s, maxConnections: 1 }
          named: { url: http://localhost:%d/live }
          holding: { url: http://127.0.0.1:%d, timeout: 20s }
          kept: { url: http://127.0.0.1:%d, timeout: 20s, ignoreClientAbort: true }
        routes:
          - path: /kept/**
            to: kept
          - path: /holding/**
            to: holding
          - path: /named/**
            to: named
            stripPrefix: /named
          - path: /single/**
            to: single
            stripPrefix: /single
          - path: /balanced/**
            to: balanced
            stripPrefix: /balanced
          - path: /api/**
            to: scripted
            stripPrefix: /api
          - path: /rewritten/**
            to: rewritten
        """.formatted(upstream.port(), upstream.port(), deadPort(), upstream.port(), upstream.port(), upstream.port(),
            holding.getLocalPort(), holding.getLocalPort()));
    gateway = GatewayServer.start(dir, k -> null, "127.0.0.1", 0);
    base = "http://127.0.0.1:" + gateway.port() + "/api";
  }

  /** A loopback port nothing listens on. */
  private static int deadPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    upstream.close();
    holding.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    upstream.requests.clear();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A GET of {@code path} from the gateway's root (other routes than /api). */
  private static HttpResponse<String> getFromRoot(String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theRequestGoesOutWithTheUrlsPathTheClientsHostAndTheForwardingHeaders() throws Exception {
    upstream.reply("/base/who", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    assertThat(get("/who?a=1&b=%20").body()).isEqualTo("ok");
    String head = upstream.requests.get(0);
    int port = gateway.port();
    assertThat(head).startsWith("GET /base/who?a=1&b=%20 HTTP/1.1\r\n")
        .containsIgnoringCase("\r\nHost: 127.0.0.1:" + port + "\r\n")
        .containsIgnoringCase("\r\nX-Forwarded-For: 127.0.0.1\r\n")
        .containsIgnoringCase("\r\nX-Forwarded-Proto: http\r\n")
        .containsIgnoringCase("\r\nX-Forwarded-Host: 127.0.0.1\r\n")
        .containsIgnoringCase("\r\nX-Forwarded-Port: " + port + "\r\n")
        .containsIgnoringCase("\r\nForwarded: for=127.0.0.1;proto=http;host=\"127.0.0.1:" + port + "\"\r\n");
  }

  @Test
  void hostRewriteSendsTheUpstreamsHostAndTellsTheClientsInXForwardedHost() throws Exception {
    upstream.reply("/rewritten/who", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    HttpResponse<String> r = getFromRoot("/rewritten/who");
    assertThat(r.body()).isEqualTo("ok");
    String head = upstream.requests.get(0);
    assertThat(head).startsWith("GET /rewritten/who HTTP/1.1\r\n")
        .containsIgnoringCase("\r\nHost: 127.0.0.1:" + upstream.port() + "\r\n")
        .containsIgnoringCase("\r\nX-Forwarded-Host: 127.0.0.1:" + gateway.port() + "\r\n");
    assertThat(head.toLowerCase(java.util.Locale.ROOT).split("\r\nhost:", -1)).as("one Host header").hasSize(2);
  }

  @Test
  void aChunkedBodyArrivingInPiecesIsDechunkedAndTheConnectionKept() throws Exception {
    upstream.reply("/base/chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
        + "5;note=x\r\nhel", 100, "lo\r\n6\r\n, worl\r\n1\r\nd\r\n0\r\nX-Trailer: t\r\n\r\n");
    HttpResponse<String> r = get("/chunked");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello, world");
    assertThat(r.headers().firstValue("Content-Type")).contains("text/plain");
    int after = upstream.connections.get();
    upstream.reply("/base/after", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nafter");
    assertThat(get("/after").body()).isEqualTo("after");
    assertThat(upstream.connections.get()).as("the second request reuses the first one's connection").isEqualTo(after);
  }

  @Test
  void aBodyDelimitedByTheConnectionClosingIsPassedOnToItsEnd() throws Exception {
    upstream.replyAndClose("/base/until-close", "HTTP/1.0 200 OK\r\nContent-Type: text/csv\r\n\r\na,b\n", 100, "1,2\n");
    HttpResponse<String> r = get("/until-close");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("a,b\n1,2\n");
  }

  @Test
  void interimResponsesAreDroppedAndTheFinalOnePassedOn() throws Exception {
    upstream.reply("/base/hints", "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
        + "HTTP/1.1 201 Created\r\nContent-Length: 4\r\nLocation: /x/1\r\n\r\nmade");
    HttpResponse<String> r = get("/hints");
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.body()).isEqualTo("made");
    assertThat(r.headers().firstValue("Location")).contains("/x/1");
  }

  @Test
  void hopByHopResponseHeadersAndThoseNamedInConnectionAreDropped() throws Exception {
    upstream.reply("/base/hops", "HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Secret\r\nKeep-Alive: timeout=5\r\n"
        + "X-Secret: s\r\nX-Kept: k\r\nX-Kept: k2\r\nContent-Length: 1\r\n\r\n.");
    HttpResponse<String> r = get("/hops");
    assertThat(r.headers().allValues("X-Kept")).containsExactly("k", "k2");
    assertThat(r.headers().firstValue("X-Secret")).isEmpty();
    assertThat(r.headers().firstValue("Keep-Alive")).isEmpty();
  }

  @Test
  void aMalformedResponseHeadIsA502ProblemNamingTheFault() throws Exception {
    upstream.reply("/base/bad-status", "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n");
    upstream.reply("/base/folded", "HTTP/1.1 200 OK\r\nX-A: 1\r\n  folded\r\nContent-Length: 0\r\n\r\n");
    upstream.reply("/base/two-lengths", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab");
    for (String[] c : new String[][] {{"/bad-status", "bad status line"}, {"/folded", "obsolete line folding"},
        {"/two-lengths", "conflicting Content-Length"}}) {
      HttpResponse<String> r = get(c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(502);
      assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
      JsonNode p = JSON.readTree(r.body());
      assertThat(p.get("type").asText()).isEqualTo("urn:ficus:problem:bad-gateway");
      assertThat(p.get("detail").asText()).contains("'scripted'").contains(c[1]);
    }
  }

  @Test
  void headAnd204AnswersHaveNoBodyAndKeepTheirHeaders() throws Exception {
    upstream.reply("/base/head", "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nETag: \"v1\"\r\n\r\n");
    HttpResponse<Void> h = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/head"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertThat(h.statusCode()).isEqualTo(200);
    assertThat(h.headers().firstValue("Content-Length")).contains("1234");
    assertThat(h.headers().firstValue("ETag")).contains("\"v1\"");
    upstream.reply("/base/none", "HTTP/1.1 204 No Content\r\nX-Done: yes\r\n\r\n");
    HttpResponse<String> n = get("/none");
    assertThat(n.statusCode()).isEqualTo(204);
    assertThat(n.headers().firstValue("X-Done")).contains("yes");
    upstream.reply("/base/after-none", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    assertThat(get("/after-none").body()).as("the connection is still in step after bodyless answers").isEqualTo("ok");
  }

  @Test
  void aKeptAliveConnectionTheUpstreamDropsUnansweredIsRetriedOnceOnANewOne() throws Exception {
    upstream.reply("/base/first", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
    assertThat(get("/first").body()).isEqualTo("first");
    // The next request on that connection is read and the connection closed without a word, as
    // an upstream does when its keep-alive timeout ends just as a request arrives.
    upstream.dropOnReusedConnection("/base/again", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nagain");
    HttpResponse<String> r = get("/again");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("again");
    assertThat(upstream.requests).filteredOn(h -> h.startsWith("GET /base/again ")).hasSize(2);
  }

  @Test
  void aPostWithoutABodyIsNotSentTwiceWhenItsConnectionIsDropped() throws Exception {
    upstream.reply("/base/first", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
    assertThat(get("/first").body()).isEqualTo("first");
    upstream.dropOnReusedConnection("/base/order", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/order"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(JSON.readTree(r.body()).get("type").asText()).isEqualTo("urn:ficus:problem:backend-unavailable");
    assertThat(upstream.requests).filteredOn(h -> h.startsWith("POST /base/order ")).hasSize(1);
  }

  @Test
  void aConnectionTheUpstreamClosesWhileIdleIsDroppedNotReused() throws Exception {
    upstream.replyThenCloseAfter("/base/brief", 100, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nbrief");
    assertThat(get("/brief").body()).isEqualTo("brief");
    Thread.sleep(400);
    // A POST is never sent twice: had it gone out on the dead connection, it would fail with 502.
    upstream.reply("/base/next", "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext");
    HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/next"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("next");
  }

  @Test
  void aUrlThatRefusesConnectionsIsPassedOverForTheNextOne() throws Exception {
    upstream.reply("/live/x", "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlive");
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> r = getFromRoot("/balanced/x");
      assertThat(r.statusCode()).as("call %d", i).isEqualTo(200);
      assertThat(r.body()).isEqualTo("live");
    }
  }

  @Test
  void aRequestWaitingForTheOnlyConnectionGetsItWhenTheRequestHoldingItTimesOut() throws Exception {
    upstream.reply("/single/stall", 5_000, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlate");
    upstream.reply("/single/quick", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nquick");
    String single = "http://127.0.0.1:" + gateway.port() + "/single";
    CompletableFuture<HttpResponse<String>> holder = CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(single + "/stall"))
        .build(), HttpResponse.BodyHandlers.ofString());
    Thread.sleep(500);
    // One connection per IO thread, held by the stalled request: this one waits in the queue
    // until the holder's 1 s timeout closes that connection, then gets a new one.
    long start = System.nanoTime();
    HttpResponse<String> waiter = CLIENT.send(HttpRequest.newBuilder(URI.create(single + "/quick")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("it waited for the connection")
        .isGreaterThan(Duration.ofMillis(300));
    assertThat(holder.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(504);
    assertThat(waiter.statusCode()).isEqualTo(200);
    assertThat(waiter.body()).isEqualTo("quick");
  }

  @Test
  void anUpstreamNamedByHostNameIsLookedUpAndReached() throws Exception {
    upstream.reply("/live/by-name", "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nname");
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = getFromRoot("/named/by-name");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("name");
    }
  }

  @Test
  void anUpstreamStallingInTheBodyPastItsTimeoutEndsTheClientsConnection() throws Exception {
    upstream.reply("/base/stall", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789", 10_000, "");
    long start = System.nanoTime();
    assertThatThrownBy(() -> get("/stall")).isInstanceOf(IOException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    upstream.reply("/base/fine", "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nfine");
    assertThat(get("/fine").body()).isEqualTo("fine");
  }

  @Test
  void requestsBeyondTheConnectionLimitWaitForAConnectionInsteadOfFailing() throws Exception {
    upstream.reply("/base/slowish", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", 50, "ok");
    int before = upstream.connections.get();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      calls.add(CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(base + "/slowish")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    assertThat(calls).allSatisfy(c -> assertThat(c.join().body()).isEqualTo("ok"));
    assertThat(upstream.connections.get() - before).as("maxConnections 2 on one IO thread").isLessThanOrEqualTo(2);
  }

  @Test
  void aRequestPipelinedBehindOneThatWaitsForTheUpstreamIsAnsweredAfterIt() throws Exception {
    upstream.reply("/base/pipe-slow", 300, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nslow");
    upstream.reply("/base/pipe-quick", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nquick");
    upstream.reply("/base/pipe-a", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na");
    upstream.reply("/base/pipe-b", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb");
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      // The second request arrives while the first waits for its answer: the client connection's
      // reads are armed during the exchange, and must not take it before the first is answered.
      out.write(rawGet("/api/pipe-slow"));
      out.flush();
      Thread.sleep(100);
      out.write(rawGet("/api/pipe-quick"));
      out.flush();
      assertThat(RawHttp.readOkBody(in)).isEqualTo("slow");
      assertThat(RawHttp.readOkBody(in)).isEqualTo("quick");
      // Two requests in one write.
      ByteArrayOutputStream both = new ByteArrayOutputStream();
      both.write(rawGet("/api/pipe-a"));
      both.write(rawGet("/api/pipe-b"));
      out.write(both.toByteArray());
      out.flush();
      assertThat(RawHttp.readOkBody(in)).isEqualTo("a");
      assertThat(RawHttp.readOkBody(in)).isEqualTo("b");
    }
  }

  @Test
  void aClientLeavingWhileItsRequestWaitsLeavesTheGatewayServingTheNext() throws Exception {
    upstream.reply("/base/left", 300, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nleft");
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      s.getOutputStream().write(rawGet("/api/left"));
      s.getOutputStream().flush();
      Thread.sleep(50);
    }
    Thread.sleep(500);
    upstream.reply("/base/stayed", "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nstayed");
    for (int i = 0; i < 3; i++) {
      assertThat(get("/stayed").body()).isEqualTo("stayed");
    }
  }

  @Test
  void aClientLeavingBeforeTheAnswerBeginsMakesTheGatewayCloseTheUpstreamConnection() throws Exception {
    holding.setSoTimeout(5_000);
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      client.getOutputStream().write(rawGet("/holding/long-poll"));
      client.getOutputStream().flush();
      try (Socket up = holding.accept()) {
        up.setSoTimeout(10_000);
        InputStream fromGateway = up.getInputStream();
        byte[] head = new byte[4096];
        int n = fromGateway.read(head);
        assertThat(new String(head, 0, n, StandardCharsets.ISO_8859_1)).startsWith("GET /holding/long-poll HTTP/1.1");
        long left = System.nanoTime();
        client.close();
        // The upstream's timeout is 20 s: only the client leaving explains an end this early.
        assertThat(fromGateway.read()).as("the gateway closed the upstream connection").isEqualTo(-1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - left)).isLessThan(3_000L);
      }
    }
    upstream.reply("/base/after-leaving", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nafter");
    assertThat(get("/after-leaving").body()).isEqualTo("after");
  }

  @Test
  void anUpstreamThatIgnoresClientAbortsKeepsTheRequestGoingWhenItsClientLeaves() throws Exception {
    holding.setSoTimeout(5_000);
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      client.getOutputStream().write(rawGet("/kept/health"));
      client.getOutputStream().flush();
      try (Socket up = holding.accept()) {
        InputStream fromGateway = up.getInputStream();
        byte[] head = new byte[4096];
        int n = fromGateway.read(head);
        assertThat(new String(head, 0, n, StandardCharsets.ISO_8859_1)).startsWith("GET /kept/health HTTP/1.1");
        client.close();
        up.setSoTimeout(1_000);
        assertThatThrownBy(fromGateway::read).as("the upstream connection stays open")
            .isInstanceOf(SocketTimeoutException.class);
        // The answer still comes, and the gateway reads it for no one.
        up.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlate".getBytes(StandardCharsets.US_ASCII));
        up.getOutputStream().flush();
      }
    }
    upstream.reply("/base/after-ignoring", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nafter");
    assertThat(get("/after-ignoring").body()).isEqualTo("after");
  }

  @Test
  void anHttp10ClientGetsItsAnswerAndThenTheConnectionCloses() throws Exception {
    upstream.reply("/base/old", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nold");
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("GET /api/old HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(all).startsWith("HTTP/1.0 200").endsWith("\r\n\r\nold");
    }
  }

  private static byte[] rawGet(String path) {
    return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }
}
