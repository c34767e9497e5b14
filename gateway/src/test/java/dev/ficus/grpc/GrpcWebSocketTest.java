package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.http.Json;
import dev.ficus.samples.grpc.InventorySample;
import dev.ficus.server.GatewayServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bidirectional streaming over a WebSocket: a frame per message each way, errors as a last frame. */
class GrpcWebSocketTest {
  @TempDir
  static Path tmp;
  static InventorySample sample;
  static GatewayServer gateway;

  @BeforeAll
  static void start() {
    sample = InventorySample.start("127.0.0.1", 0);
    Path config = GrpcFixture.workspace(tmp);
    GrpcFixture.write(config, "inventory.yaml", """
        ficus: mapping/v1
        backend:
          grpc:
            target: %s
            proto: ../proto/inventory.proto
            rpcRoutes: true
            metadata:
              forward: [x-tenant]
        operations:
          - route: GET /api/stock:adjust
            call: AdjustStock
            timeout: 30s
        """.formatted(sample.target()));
    gateway = GrpcFixture.start(config);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    sample.close();
  }

  /** A WebSocket client that queues every text message and the close code. */
  static final class Client implements WebSocket.Listener {
    final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder part = new StringBuilder();
    WebSocket ws;

    static Client open(String path, String... headers) throws Exception {
      Client c = new Client();
      WebSocket.Builder b = GrpcFixture.HTTP.newWebSocketBuilder();
      for (int i = 0; i + 1 < headers.length; i += 2) {
        b.header(headers[i], headers[i + 1]);
      }
      c.ws = b.buildAsync(URI.create("ws://127.0.0.1:" + gateway.port() + path), c).get(10, TimeUnit.SECONDS);
      return c;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      part.append(data);
      if (last) {
        messages.add(part.toString());
        part.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }

    JsonNode next() throws Exception {
      String m = messages.poll(10, TimeUnit.SECONDS);
      assertThat(m).as("a message within 10 s").isNotNull();
      return Json.MAPPER.readTree(m);
    }

    void send(String text) throws Exception {
      ws.sendText(text, true).get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void eachFrameIsOneMessageEachWayAndAnEmptyFrameEndsTheCall() throws Exception {
    Client c = Client.open("/api/stock:adjust", "X-Tenant", "acme");
    c.send("{\"name\":\"warehouses/main/items/rake\",\"delta\":\"2\"}");
    assertThat(c.next().get("onHand").asText()).isEqualTo("5");
    c.send("{\"name\":\"warehouses/main/items/rake\",\"delta\":\"-4\"}");
    assertThat(c.next().get("onHand").asText()).isEqualTo("1");
    c.send("");
    assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
    assertThat(sample.recordedCalls()).filteredOn(r -> r.method().endsWith("/AdjustStock"))
        .last().satisfies(r -> assertThat(r.header("x-tenant")).isEqualTo("acme"));
  }

  @Test
  void aBackendErrorIsALastErrorFrameThenClose1011() throws Exception {
    Client c = Client.open("/api/stock:adjust");
    c.send("{\"name\":\"warehouses/main/items/anvil\",\"delta\":\"1\"}");
    JsonNode error = c.next().get("error");
    assertThat(error.get("status").asInt()).isEqualTo(404);
    assertThat(error.get("grpcStatus").asText()).isEqualTo("NOT_FOUND");
    assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1011);
  }

  @Test
  void aFrameThatDoesNotFitIsAnErrorFrameThenClose1007() throws Exception {
    Client c = Client.open("/api/stock:adjust");
    c.send("{\"name\":\"warehouses/main/items/rake\",\"delta\":\"lots\"}");
    JsonNode error = c.next().get("error");
    assertThat(error.get("type").asText()).isEqualTo("urn:ficus:problem:invalid-request");
    assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1007);
  }

  @Test
  void aBinaryFrameIsAnErrorFrameThenClose1003() throws Exception {
    Client c = Client.open("/api/stock:adjust");
    c.ws.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(10, TimeUnit.SECONDS);
    JsonNode error = c.next().get("error");
    assertThat(error.get("type").asText()).isEqualTo("urn:ficus:problem:unsupported-media-type");
    assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1003);
  }

  @Test
  void aBinaryMessageOverTheBodyLimitEndsTheSessionInsteadOfBeingBufferedWhole() throws Exception {
    Client c = Client.open("/api/stock:adjust");
    // limits.maxBodySize is 1 MB here; Undertow's own default buffers a binary message of any size.
    c.ws.sendBinary(java.nio.ByteBuffer.wrap(new byte[3 * 1024 * 1024]), true);
    assertThat(c.closed.handle((code, failure) -> true).get(10, TimeUnit.SECONDS))
        .as("the session ended").isTrue();
  }

  @Test
  void rpcRoutesServeBidirectionalMethodsAsWebSocketsToo() throws Exception {
    Client c = Client.open("/inventory.v1.Inventory/AdjustStock");
    c.send("{\"name\":\"warehouses/east/items/hammer\",\"delta\":\"0\"}");
    assertThat(c.next().get("name").asText()).isEqualTo("warehouses/east/items/hammer");
    c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
  }

  @Test
  void withoutTheUpgradeTheRouteAnswers426() throws Exception {
    // HTTP/1.1: in HTTP/2 an Upgrade header is not allowed at all.
    HttpResponse<String> r = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
        .build().send(GrpcFixture.request(gateway, "/api/stock:adjust").GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(426);
    assertThat(r.headers().firstValue("upgrade")).hasValue("websocket");
  }
}
