package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.ficus.http.BodyBudget;
import dev.ficus.samples.grpc.InventorySample;
import dev.ficus.samples.soap.SoapSamples;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request bodies of mapped routes (a CXF SOAP service and a grpc-java server behind the gateway)
 * are read within {@code limits.bodyTimeout}, {@code limits.minBodyRate} and
 * {@code limits.maxBodyMemory}, by raw-socket clients that declare one length and send another
 * pace. After every test the body budget is back to zero: every way a body ends gives its memory
 * back.
 */
class RequestBodyLimitsTest {
  private static final String TOKEN = "legacy-secret";
  private static final long BODY_TIMEOUT_MILLIS = 1500;
  private static final int BUDGET = 200 * 1024;
  private static final String SOAP = "/api/customers";
  private static final String GRPC = "/v1/warehouses/main/items";

  @TempDir
  static Path config;

  private static SoapSamples soap;
  private static InventorySample grpc;
  private static GatewayUnderTest gateway;
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeAll
  static void start() {
    soap = SoapSamples.start(Loopback.HOST, Loopback.freePort(), TOKEN);
    grpc = InventorySample.start(Loopback.HOST, 0);
    ConfigFiles.write(config, "gateway.yaml", """
        ficus: gateway/v1
        limits:
          bodyTimeout: %dms
          minBodyRate: 256
          maxBodyMemory: %d
        """.formatted(BODY_TIMEOUT_MILLIS, BUDGET));
    ConfigFiles.customersMapping(config, soap.customersUrl(), TOKEN, """
          - route: POST /api/customers
            call: createCustomer
            request: body
            response: {select: customer}
        """);
    ConfigFiles.write(config, "inventory.yaml", """
        ficus: mapping/v1
        backend:
          grpc:
            target: 127.0.0.1:%d
            proto: "%s"
        """.formatted(grpc.port(), ConfigFiles.proto("inventory.proto")));
    gateway = GatewayUnderTest.start(config, Map.of());
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (grpc != null) {
      grpc.close();
    }
    if (soap != null) {
      soap.close();
    }
  }

  @AfterEach
  void theBudgetIsBackToZero() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    // Past bodyTimeout every body still open is cut, so the wait is bounded whatever a test left.
    assertThat(within(BODY_TIMEOUT_MILLIS * 3, () -> budget().used() == 0))
        .as("bytes still held by bodies being read: %d", budget().used()).isTrue();
  }

  private static BodyBudget budget() {
    return gateway.server().shared().bodyBudget();
  }

  @ParameterizedTest
  @ValueSource(strings = {SOAP, GRPC})
  void aBodyThatDeclaresAMegabyteAndSendsOneByteHoldsAlmostNothing(String path) throws Exception {
    int clients = 20;
    long allocatedBefore = ioThreadsAllocatedBytes();

    for (int i = 0; i < clients; i++) {
      send(open(path, 1_000_000), "{");
    }
    // Loopback bytes are read within milliseconds; this leaves time for a busy machine.
    Thread.sleep(300);
    long allocated = ioThreadsAllocatedBytes() - allocatedBefore;

    // Allocating the declared length up front would be 20 MB; a first buffer each is 20 KB.
    assertThat(allocated).as("bytes the IO threads allocated for %d bodies of one byte", clients)
        .isLessThan(4L * 1024 * 1024);
    assertThat(within(BODY_TIMEOUT_MILLIS / 2, () -> budget().used() >= clients))
        .as("bodies being read: %d bytes held", budget().used()).isTrue();
    assertThat(budget().used()).isLessThanOrEqualTo(clients * 1024L);
  }

  @ParameterizedTest
  @ValueSource(strings = {SOAP, GRPC})
  void aBodyThatStopsArrivingIsCutAtTheBodyTimeout(String path) throws Exception {
    Socket s = open(path, 1000);
    send(s, "{\"sku\": ");
    long sent = System.nanoTime();

    String reply = RawHttp.readResponse(s.getInputStream());
    long millis = (System.nanoTime() - sent) / 1_000_000;

    assertThat(reply).startsWith("HTTP/1.1 408").contains("application/problem+json")
        .contains("urn:ficus:problem:request-timeout").contains("limits.bodyTimeout");
    assertThat(millis).as("ms from the last byte to the 408").isBetween(BODY_TIMEOUT_MILLIS - 100,
        BODY_TIMEOUT_MILLIS + 2000);
    assertThat(s.getInputStream().read()).as("the connection is closed after the 408").isEqualTo(-1);
  }

  @ParameterizedTest
  @ValueSource(strings = {SOAP, GRPC})
  void aChunkedBodyThatStopsArrivingIsCutAtTheBodyTimeoutToo(String path) throws Exception {
    Socket s = new Socket(Loopback.HOST, gateway.server().port());
    sockets.add(s);
    s.setSoTimeout(10_000);
    send(s, "POST " + path + " HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n8\r\n{\"sku\": \r\n");

    String reply = RawHttp.readResponse(s.getInputStream());

    assertThat(reply).startsWith("HTTP/1.1 408").contains("limits.bodyTimeout");
    assertThat(s.getInputStream().read()).as("the connection is closed after the 408").isEqualTo(-1);
  }

  @ParameterizedTest
  @ValueSource(strings = {SOAP, GRPC})
  void aBodyTricklingAByteEveryHalfSecondIsCutByTheRateCheck(String path) throws Exception {
    Socket s = open(path, 1000);
    s.setSoTimeout(200);
    long began = System.nanoTime();
    String reply = "";
    // Well inside bodyTimeout between bytes, far below 256 bytes/s on average.
    for (int i = 0; i < 40 && reply.isEmpty(); i++) {
      try {
        send(s, " ");
      } catch (IOException closed) {
        break;
      }
      reply = readFor(s, 500);
    }
    s.setSoTimeout(5000);
    if (reply.isEmpty()) {
      reply = RawHttp.readResponse(s.getInputStream());
    }
    long millis = (System.nanoTime() - began) / 1_000_000;

    assertThat(reply).startsWith("HTTP/1.1 408").contains("urn:ficus:problem:request-timeout")
        .contains("limits.minBodyRate");
    assertThat(millis).as("ms from the first byte to the 408").isBetween(5000L, 5000L + 3000);
  }

  @ParameterizedTest
  @ValueSource(strings = {SOAP, GRPC})
  void aFullBodyBudgetRefusesWith503AndRetryAfter(String path) throws Exception {
    // The first body's buffer grows to 128 KB of the 200 KB budget; the second cannot grow to as much.
    Socket first = open(path, 150_000);
    send(first, "{\"a\": \"" + "x".repeat(100_000));
    assertThat(within(1000, () -> budget().used() >= 100_000)).as("the first body is held").isTrue();

    Socket second = open(path, 150_000);
    send(second, "{\"a\": \"" + "x".repeat(100_000));
    String reply = RawHttp.readResponse(second.getInputStream());

    assertThat(reply).startsWith("HTTP/1.1 503").contains("urn:ficus:problem:overloaded");
    assertThat(reply.toLowerCase(Locale.ROOT)).contains("\r\nretry-after: 1\r\n");
    assertThat(budget().used()).as("only the first body is held").isBetween(100_000L, (long) BUDGET);
    first.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {SOAP, GRPC})
  void aClientThatLeavesMidBodyGivesItsMemoryBackAtOnce(String path) throws Exception {
    Socket s = open(path, 150_000);
    send(s, "{\"a\": \"" + "x".repeat(50_000));
    assertThat(within(1000, () -> budget().used() >= 50_000)).as("the body is held").isTrue();

    s.close();

    assertThat(within(BODY_TIMEOUT_MILLIS * 2 / 3, () -> budget().used() == 0))
        .as("released before bodyTimeout would have cut it; held: %d", budget().used()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {SOAP, GRPC})
  void anOrdinaryBodyStillWorksWithContentLengthAndChunked(String path) {
    // Past the first buffer, so that the body grows on the way in.
    String padding = " ".repeat(5000);
    String body = path.equals(SOAP) ? "{" + padding + "\"firstName\": \"Ada\", \"lastName\": \"Lovelace\", \"creditLimit\": 1}"
        : "{" + padding + "\"sku\": \"%s\", \"title\": \"Spade\"}";
    String first = path.equals(SOAP) ? body : body.formatted("spade-" + System.nanoTime());
    String second = path.equals(SOAP) ? body : body.formatted("hoe-" + System.nanoTime());

    Reply fixed = gateway.postJson(path, first);
    Reply chunked = gateway.send("POST", path, "application/json",
        BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(second.getBytes(StandardCharsets.UTF_8))));

    assertThat(fixed.ok().toString()).contains(path.equals(SOAP) ? "Lovelace" : "spade-");
    assertThat(chunked.ok().toString()).contains(path.equals(SOAP) ? "Lovelace" : "hoe-");
  }

  /** A connection with a request head for {@code path} declaring {@code length} body bytes. */
  private Socket open(String path, long length) throws IOException {
    Socket s = new Socket(Loopback.HOST, gateway.server().port());
    sockets.add(s);
    s.setSoTimeout(10_000);
    s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    return s;
  }

  private static void send(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** What arrives on {@code s} within {@code millis} ("" for nothing); the socket's timeout is short. */
  private static String readFor(Socket s, long millis) throws IOException {
    long end = System.nanoTime() + millis * 1_000_000;
    InputStream in = s.getInputStream();
    while (System.nanoTime() < end) {
      try {
        int b = in.read();
        if (b < 0) {
          return "(closed)";
        }
        s.setSoTimeout(5000);
        return (char) b + RawHttp.readResponse(in);
      } catch (java.net.SocketTimeoutException e) {
        // nothing yet
      }
    }
    return "";
  }

  /** Bytes allocated so far by the JVM's Undertow IO threads (the gateway's, the only busy ones here). */
  private static long ioThreadsAllocatedBytes() {
    ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().contains(" I/O-")) {
        sum += Math.max(0, mx.getThreadAllocatedBytes(t.getId()));
      }
    }
    return sum;
  }

  private static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }
}
