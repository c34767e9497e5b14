package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's keep-alive connections to a SOAP backend, seen from the backend's side of the
 * wire: they are reused, a connection the backend dropped while idle costs the client nothing,
 * and a connection whose call timed out or broke is never used again (so a late reply can never
 * answer another call). The backend is a raw socket server, because these are things a real
 * SOAP stack does not do on request; it answers the calculator's rpc/literal {@code add} with
 * the sum of the operands the gateway sent, so every answer proves which call it belongs to.
 */
class BackendConnectionTest {
  private static final String ENVELOPE = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
      + "<soap:Body><c:addResponse xmlns:c=\"urn:example:calculator\"><result>%d</result></c:addResponse>"
      + "</soap:Body></soap:Envelope>";
  private static final Pattern OPERAND = Pattern.compile("<(a|b)>(-?\\d+)</\\1>");

  @TempDir
  static Path config;

  private static RawBackend keepAlive;
  private static RawBackend dropsIdle;
  private static RawBackend closesOnSecondCall;
  private static RawBackend slowForOne;
  private static RawBackend breaksMidReply;
  private static RawBackend overTls;
  private static GatewayUnderTest gateway;

  @BeforeAll
  static void start() throws IOException {
    keepAlive = new RawBackend((sum, nth, out) -> answer(out, sum, false));
    // Answers, then closes the connection a moment later without having said so: the gateway's
    // pooled connection is dead by the time it is used again.
    dropsIdle = new RawBackend((sum, nth, out) -> {
      answer(out, sum, false);
      sleep(100);
      return false;
    });
    // Closes a kept-alive connection just as the next call arrives on it, without executing it,
    // as a server does whose idle timer fires at that moment.
    closesOnSecondCall = new RawBackend((sum, nth, out) -> nth == 1 && answer(out, sum, false));
    // The call whose operands add up to 1000 is answered after the gateway's 300 ms timeout.
    slowForOne = new RawBackend((sum, nth, out) -> {
      if (sum == 1000) {
        sleep(800);
      }
      return answer(out, sum, false);
    });
    // Promises a body and hangs up in the middle of it.
    breaksMidReply = new RawBackend((sum, nth, out) -> {
      byte[] body = ENVELOPE.formatted(sum).getBytes(StandardCharsets.UTF_8);
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: " + body.length
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, body.length / 2);
      out.flush();
      return false;
    });
    // The same well-behaved backend behind TLS, with the test PKI's certificate for 127.0.0.1 and localhost.
    overTls = new RawBackend((sum, nth, out) -> answer(out, sum, false),
        TestPki.serverContext("server").getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    TestPki.copy("ca.pem", config.resolve("tls/ca.pem"));
    ConfigFiles.write(config, "gateway.yaml", "ficus: gateway/v1\n");
    write("keep-alive", keepAlive, "5s");
    write("drops-idle", dropsIdle, "5s");
    write("closes-on-second", closesOnSecondCall, "5s");
    write("slow-for-one", slowForOne, "300ms");
    write("breaks", breaksMidReply, "5s");
    write("tls", "https://127.0.0.1:" + overTls.port(), "5s", "tls/ca.pem");
    write("tls-by-name", "https://localhost:" + overTls.port(), "5s", "tls/ca.pem");
    write("tls-jvm-trust", "https://127.0.0.1:" + overTls.port(), "5s", null);
    gateway = GatewayUnderTest.start(config, Map.of());
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    for (RawBackend b : new RawBackend[] {keepAlive, dropsIdle, closesOnSecondCall, slowForOne, breaksMidReply, overTls}) {
      if (b != null) {
        b.close();
      }
    }
  }

  @Test
  void sequentialCallsShareOneKeepAliveConnection() {
    int before = keepAlive.connections.get();
    for (int i = 0; i < 20; i++) {
      assertThat(gateway.get("/api/keep-alive/add?a=" + i + "&b=1").ok().intValue()).isEqualTo(i + 1);
    }

    assertThat(keepAlive.requests.get()).isGreaterThanOrEqualTo(20);
    // One client connection is served by one IO thread, which keeps one backend connection.
    assertThat(keepAlive.connections.get() - before).isLessThanOrEqualTo(1);
  }

  @Test
  void aConnectionTheBackendDroppedWhileIdleIsReplacedWithoutAnError() {
    assertThat(gateway.get("/api/drops-idle/add?a=1&b=2").ok().intValue()).isEqualTo(3);
    sleep(400); // the backend has closed that connection by now

    assertThat(gateway.get("/api/drops-idle/add?a=5&b=6").ok().intValue()).isEqualTo(11);
    assertThat(dropsIdle.connections.get()).isEqualTo(2);
    assertThat(dropsIdle.requests.get()).as("each call reached the backend exactly once").isEqualTo(2);
  }

  @Test
  void aCallOnAConnectionClosedUnderItIsSentOnceMoreOnAFreshOne() {
    assertThat(gateway.get("/api/closes-on-second/add?a=1&b=2").ok().intValue()).isEqualTo(3);

    assertThat(gateway.get("/api/closes-on-second/add?a=5&b=6").ok().intValue()).isEqualTo(11);
    assertThat(closesOnSecondCall.connections.get()).isEqualTo(2);
    assertThat(closesOnSecondCall.answered.get()).as("each call was executed exactly once").isEqualTo(2);
  }

  @Test
  void aLateReplyNeverAnswersTheNextCall() {
    gateway.get("/api/slow-for-one/add?a=999&b=1").problem(504, "gateway-timeout");

    // The timed-out connection was closed; this call gets its own answer, not the late 1000.
    assertThat(gateway.get("/api/slow-for-one/add?a=2&b=2").ok().intValue()).isEqualTo(4);
    sleep(800);
    assertThat(gateway.get("/api/slow-for-one/add?a=3&b=3").ok().intValue()).isEqualTo(6);
  }

  @Test
  void aReplyCutOffMidBodyIsA502AndTheCallIsNotRepeated() {
    int before = breaksMidReply.requests.get();

    gateway.get("/api/breaks/add?a=1&b=1").problem(502, "bad-gateway");

    assertThat(breaksMidReply.requests.get() - before).as("a call the backend may have executed is never resent")
        .isEqualTo(1);
  }

  @Test
  void anHttpsBackendCertifiedByTheMappingsCaIsCalledOverPooledTlsConnections() {
    int before = overTls.connections.get();
    for (int i = 0; i < 5; i++) {
      assertThat(gateway.get("/api/tls/add?a=" + i + "&b=10").ok().intValue()).isEqualTo(i + 10);
    }
    assertThat(gateway.get("/api/tls-by-name/add?a=1&b=1").ok().intValue()).isEqualTo(2);

    assertThat(overTls.connections.get() - before).as("TLS connections opened for six calls").isLessThanOrEqualTo(2);
  }

  @Test
  void anHttpsBackendOfAPrivateCaIsRefusedWithoutTheMappingsCa() {
    // The handshake fails when the connection is opened: the backend cannot be reached.
    gateway.get("/api/tls-jvm-trust/add?a=1&b=1").problem(502, "backend-unavailable");
  }

  @Test
  void aCaFileForAPlainHttpEndpointIsAConfigurationProblem(@org.junit.jupiter.api.io.TempDir Path other) {
    TestPki.copy("ca.pem", other.resolve("ca.pem"));
    ConfigFiles.write(other, "gateway.yaml", "ficus: gateway/v1\n");
    ConfigFiles.write(other, "calc.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            endpoint: "http://127.0.0.1:1/ws/calculator"
            ca: ca.pem
        operations:
          - route: GET /add
            call: add
        """.formatted(ConfigFiles.wsdl("calculator.wsdl")));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> GatewayUnderTest.start(other, Map.of()))
        .isInstanceOfSatisfying(dev.ficus.config.ConfigException.class, e -> assertThat(e.problems())
            .extracting(Object::toString)
            .containsExactly("calc.yaml:6:5: 'ca' is the CA file for an https:// endpoint, and this endpoint is "
                + "http://127.0.0.1:1/ws/calculator"));
  }

  private static void write(String name, RawBackend backend, String timeout) {
    write(name, "http://127.0.0.1:" + backend.port(), timeout, null);
  }

  private static void write(String name, String origin, String timeout, String ca) {
    ConfigFiles.write(config, name + ".yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            endpoint: "%s/ws/calculator"
        %s
        operations:
          - route: GET /api/%s/add
            call: add
            timeout: %s
            request: {a: query.a, b: query.b}
            response: {select: result}
        """.formatted(ConfigFiles.wsdl("calculator.wsdl"), origin, ca == null ? "" : "    ca: " + ca, name, timeout));
  }

  /** Writes a keep-alive SOAP reply with {@code sum}; returns true to keep the connection. */
  private static boolean answer(OutputStream out, long sum, boolean close) throws IOException {
    byte[] body = ENVELOPE.formatted(sum).getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: " + body.length
        + (close ? "\r\nConnection: close" : "") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    return !close;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * What the backend does with the {@code nthOnConnection} call (from 1) of a connection: write to
   * {@code out}; true means it answered and keeps the connection open.
   */
  @FunctionalInterface
  private interface Behaviour {
    boolean reply(long sum, int nthOnConnection, OutputStream out) throws IOException;
  }

  /** An HTTP/1.1 server on raw sockets, one thread per connection; counts connections and requests. */
  private static final class RawBackend implements AutoCloseable {
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger answered = new AtomicInteger();
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "raw-backend");
      t.setDaemon(true);
      return t;
    });
    private final Behaviour behaviour;

    RawBackend(Behaviour behaviour) throws IOException {
      this(behaviour, new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    /** On {@code server}, e.g. an SSLServerSocket for a backend behind TLS. */
    RawBackend(Behaviour behaviour, ServerSocket server) {
      this.behaviour = behaviour;
      this.server = server;
      threads.execute(this::accept);
    }

    int port() {
      return server.getLocalPort();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          connections.incrementAndGet();
          threads.execute(() -> serve(s));
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void serve(Socket s) {
      try (s) {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        for (int nth = 1; nth <= 1000; nth++) {
          byte[] request = readRequest(in);
          if (request == null) {
            return;
          }
          requests.incrementAndGet();
          if (!behaviour.reply(sum(request), nth, out)) {
            return;
          }
          answered.incrementAndGet();
        }
      } catch (IOException e) {
        // the gateway hung up: nothing to do
      }
    }

    /** Reads one request (headers, then Content-Length bytes); null at end of stream. */
    private static byte[] readRequest(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int c = in.read();
        if (c < 0) {
          return null;
        }
        head.write(c);
        matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
      }
      Matcher m = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head.toString(StandardCharsets.US_ASCII));
      int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
      return in.readNBytes(length);
    }

    private static long sum(byte[] request) {
      Matcher m = OPERAND.matcher(new String(request, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
      long total = 0;
      while (m.find()) {
        total += Long.parseLong(m.group(2));
      }
      return total;
    }

    @Override
    public void close() {
      try {
        server.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      threads.shutdownNow();
      try {
        threads.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
