package dev.ficus.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.http.ScriptedUpstream;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnio.OptionMap;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

/**
 * Shadow copies to an {@code http://} target over the lean HTTP/1.1 client, sent from a real
 * XNIO IO thread to a scripted socket server on loopback: what comes back, what goes out, and
 * each way a copy can fail.
 */
class PlainShadowCallTest {
  private static ScriptedUpstream target;
  private static XnioWorker worker;
  private static final DefaultByteBufferPool BUFFERS = new DefaultByteBufferPool(true, 16 * 1024);
  private final ShadowClient client = new ShadowClient();

  @BeforeAll
  static void start() throws Exception {
    target = new ScriptedUpstream();
    worker = Xnio.getInstance().createWorker(OptionMap.EMPTY);
  }

  @AfterAll
  static void stop() throws Exception {
    worker.shutdownNow();
    target.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    target.requests.clear();
  }

  /** What the callback got: an answer, or a failure's reason. */
  private record Outcome(ShadowClient.Answer answer, String failure) {}

  private Outcome send(String method, String path, String body, Duration timeout, int maxBody) throws Exception {
    HeaderMap h = new HeaderMap();
    h.put(Headers.HOST, "127.0.0.1:" + target.port());
    h.put(new HttpString("X-Ficus-Shadow"), "true");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 0) {
      h.put(Headers.CONTENT_LENGTH, bytes.length);
    }
    ShadowClient.Request r = new ShadowClient.Request(URI.create("http://127.0.0.1:" + target.port()), method, path, h, bytes);
    return send(r, timeout, maxBody);
  }

  private Outcome send(ShadowClient.Request r, Duration timeout, int maxBody) throws Exception {
    return send(r, timeout, maxBody, n -> true);
  }

  private Outcome send(ShadowClient.Request r, Duration timeout, int maxBody, ShadowClient.Memory memory)
      throws Exception {
    CompletableFuture<Outcome> done = new CompletableFuture<>();
    XnioIoThread io = worker.getIoThread();
    io.execute(() -> client.send(io, BUFFERS, r, timeout, maxBody, memory, new ShadowClient.Callback() {
      @Override
      public void completed(ShadowClient.Answer answer) {
        done.complete(new Outcome(answer, null));
      }

      @Override
      public void failed(String reason) {
        done.complete(new Outcome(null, reason));
      }
    }));
    return done.get(10, TimeUnit.SECONDS);
  }

  private Outcome get(String path) throws Exception {
    return send("GET", path, "", Duration.ofSeconds(5), 1 << 20);
  }

  @Test
  void aChunkedAnswerIsCollectedWithItsStatusAndHeaders() throws Exception {
    target.reply("/s/chunked", "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nX-Version: 2\r\n\r\n4\r\n{\"a\"", 50,
        "\r\n3\r\n:1}\r\n0\r\n\r\n");
    Outcome o = get("/s/chunked");
    assertThat(o.failure()).isNull();
    assertThat(o.answer().status()).isEqualTo(201);
    assertThat(o.answer().headers().getFirst("X-Version")).isEqualTo("2");
    assertThat(o.answer().headers().contains(Headers.TRANSFER_ENCODING)).isFalse();
    assertThat(new String(o.answer().body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
  }

  @Test
  void aCopyGoesOutWithItsHeadersAndBodyAndItsConnectionIsKept() throws Exception {
    target.reply("/s/orders", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    int before = target.connections.get();
    Outcome first = send("POST", "/s/orders?dry=true", "{\"id\":42}", Duration.ofSeconds(5), 1024);
    Outcome second = get("/s/orders");
    assertThat(first.answer().body()).isEqualTo("ok".getBytes(StandardCharsets.US_ASCII));
    assertThat(second.answer().status()).isEqualTo(200);
    assertThat(target.requests.get(0)).startsWith("POST /s/orders?dry=true HTTP/1.1\r\n")
        .containsIgnoringCase("\r\nX-Ficus-Shadow: true\r\n").containsIgnoringCase("\r\nContent-Length: 9\r\n")
        .endsWith("\r\n\r\n{\"id\":42}");
    assertThat(target.connections.get() - before).as("the second copy reuses the first one's connection").isLessThanOrEqualTo(1);
  }

  @Test
  void eachWayACopyFailsIsReportedOnceWithItsReason() throws Exception {
    target.reply("/s/big", "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n01234567890123456789");
    assertThat(send("GET", "/s/big", "", Duration.ofSeconds(5), 10).failure()).contains("larger than 10 bytes");
    target.reply("/s/slow", 3000, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    assertThat(send("GET", "/s/slow", "", Duration.ofMillis(300), 10).failure()).isEqualTo("no answer within 300 ms");
    target.reply("/s/bad", "HTTP/1.1 2x0 OK\r\n\r\n");
    assertThat(get("/s/bad").failure()).contains("bad status line");
    target.replyAndClose("/s/cut", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234");
    assertThat(get("/s/cut").failure()).contains("in the middle of its answer");
  }

  @Test
  void theAnswersBodyIsReservedBeforeItIsKeptAndAnAnswerNotComparedIsThrownAway() throws Exception {
    target.reply("/s/kb", "HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n" + "k".repeat(3000));
    ShadowClient.Request r = new ShadowClient.Request(URI.create("http://127.0.0.1:" + target.port()), "GET", "/s/kb",
        new HeaderMap(), new byte[0]);
    java.util.concurrent.atomic.AtomicLong reserved = new java.util.concurrent.atomic.AtomicLong();
    Outcome kept = send(r, Duration.ofSeconds(5), 1 << 20, n -> reserved.addAndGet(n) > 0);
    assertThat(kept.answer().body()).hasSize(3000);
    assertThat(reserved.get()).as("at least what is kept, and not the whole limit").isBetween(3000L, 8192L);
    Outcome refused = send(r, Duration.ofSeconds(5), 1 << 20, n -> false);
    assertThat(refused.failure()).isEqualTo("the shadow's answer is over the shadow budget");
    reserved.set(0);
    Outcome discarded = send(r, Duration.ofSeconds(5), 0, n -> reserved.addAndGet(n) > 0);
    assertThat(discarded.answer().status()).isEqualTo(200);
    assertThat(discarded.answer().body()).isEmpty();
    assertThat(reserved.get()).as("nothing kept, nothing reserved").isZero();
  }

  @Test
  void aTargetThatNeverAcceptsTheConnectionIsTimedOut() throws Exception {
    // A listening socket that never accepts, its backlog filled: the next connect waits.
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      java.util.List<java.net.Socket> queued = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          java.net.Socket q = new java.net.Socket();
          try {
            q.connect(s.getLocalSocketAddress(), 200);
          } catch (java.io.IOException full) {
            break;
          }
          queued.add(q);
        }
        ShadowClient.Request r = new ShadowClient.Request(URI.create("http://127.0.0.1:" + s.getLocalPort()), "GET", "/x",
            new HeaderMap(), new byte[0]);
        Outcome o = send(r, Duration.ofMillis(300), 100);
        assertThat(o.answer()).isNull();
        assertThat(o.failure()).isEqualTo("no answer within 300 ms");
      } finally {
        for (java.net.Socket q : queued) {
          q.close();
        }
      }
    }
  }

  @Test
  void anUnreachableTargetIsAFailureNotAHang() throws Exception {
    int dead;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      dead = s.getLocalPort();
    }
    ShadowClient.Request r = new ShadowClient.Request(URI.create("http://127.0.0.1:" + dead), "GET", "/x", new HeaderMap(),
        new byte[0]);
    assertThat(send(r, Duration.ofSeconds(5), 100).failure()).contains("Connect");
  }
}
