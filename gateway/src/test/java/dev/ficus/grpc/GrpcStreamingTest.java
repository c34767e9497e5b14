package dev.ficus.grpc;

import static dev.ficus.grpc.GrpcFixture.get;
import static dev.ficus.grpc.UnaryTranscodingTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.http.Json;
import dev.ficus.samples.grpc.InventorySample;
import dev.ficus.server.GatewayServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server streaming as NDJSON, SSE or a JSON array (by Accept), with a typed final error event
 * when the stream fails after it started; client streaming from a JSON array or NDJSON.
 */
class GrpcStreamingTest {
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

  private static final String WATCH = "/v1/warehouses/main/items/hammer:watch";

  private static JsonNode parse(String s) {
    try {
      return Json.MAPPER.readTree(s);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + s, e);
    }
  }

  @Test
  void ndjsonHasOneMessagePerLineWithoutEnvelope() {
    HttpResponse<String> r = get(gateway, WATCH + "?count=3", "Accept", "application/x-ndjson");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/x-ndjson");
    List<String> lines = r.body().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines).extracting(l -> parse(l).get("sequence").asText()).containsExactly("1", "2", "3");
    assertThat(parse(lines.get(2)).get("stock").get("onHand").asText()).isEqualTo("8");
  }

  @Test
  void sseHasOneEventPerMessage() {
    HttpResponse<String> r = get(gateway, WATCH + "?count=2", "Accept", "text/event-stream");
    assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
    assertThat(r.body()).startsWith("id: 1\ndata: {\"sequence\":\"1\"");
    assertThat(r.body().split("\n\n")).hasSize(2);
  }

  @Test
  void withoutAcceptTheStreamIsOneJsonArray() {
    HttpResponse<String> r = get(gateway, WATCH + "?count=4");
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode a = json(r);
    assertThat(a.isArray()).isTrue();
    assertThat(a).hasSize(4);
  }

  @Test
  void anEmptyStreamIsAnEmptyArray() {
    // count=0 means 3 in the sample; fail_after 0 never fails: use a stream the sample ends at once
    HttpResponse<String> r = get(gateway, "/v1/warehouses/main/items/hammer:watch?count=1&failAfter=0");
    assertThat(json(r)).hasSize(1);
  }

  @Test
  void aFailureAfterTheFirstMessageEndsTheNdjsonWithAnErrorLine() {
    HttpResponse<String> r = get(gateway, WATCH + "?count=5&failAfter=2", "Accept", "application/x-ndjson");
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> lines = r.body().lines().toList();
    assertThat(lines).hasSize(3);
    JsonNode error = parse(lines.get(2)).get("error");
    assertThat(error.get("type").asText()).isEqualTo("urn:ficus:problem:backend-fault");
    assertThat(error.get("status").asInt()).isEqualTo(409);
    assertThat(error.get("grpcStatus").asText()).isEqualTo("ABORTED");
    assertThat(error.get("details").get(0).get("reason").asText()).isEqualTo("STREAM_INTERRUPTED");
  }

  @Test
  void aFailureAfterTheFirstMessageIsAnSseErrorEvent() {
    HttpResponse<String> r = get(gateway, WATCH + "?count=5&failAfter=1", "Accept", "text/event-stream");
    String[] events = r.body().split("\n\n");
    assertThat(events).hasSize(2);
    assertThat(events[1]).startsWith("event: error\ndata: {\"type\":\"urn:ficus:problem:backend-fault\"");
  }

  @Test
  void aFailureAfterTheFirstMessageIsTheLastArrayElement() {
    JsonNode a = json(get(gateway, WATCH + "?count=5&failAfter=3"));
    assertThat(a).hasSize(4);
    assertThat(a.get(3).get("error").get("grpcStatus").asText()).isEqualTo("ABORTED");
  }

  @Test
  void aFailureBeforeAnyMessageIsAnOrdinaryProblem() {
    HttpResponse<String> r = get(gateway, "/v1/warehouses/main/items/anvil:watch", "Accept", "application/x-ndjson");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
  }

  @Test
  void messagesArriveAsTheBackendSendsThem() throws Exception {
    HttpRequest req = GrpcFixture.request(gateway, WATCH + "?count=4&interval=0.4s")
        .header("Accept", "application/x-ndjson").timeout(Duration.ofSeconds(20)).GET().build();
    long t0 = System.nanoTime();
    HttpResponse<InputStream> r = GrpcFixture.HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String first = in.readLine();
      long firstMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(parse(first).get("sequence").asText()).isEqualTo("1");
      int rest = 0;
      while (in.readLine() != null && rest < 10) {
        rest++;
      }
      long allMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(rest).isEqualTo(3);
      assertThat(allMs - firstMs).as("the first line came well before the last").isGreaterThan(800);
    }
  }

  @Test
  void clientStreamingTakesAJsonArray() {
    HttpResponse<String> r = GrpcFixture.call(gateway, "POST", "/v1/warehouses/east/items:import", """
        [{"item": {"sku": "nail", "title": "Nail", "quantity": "100"}},
         {"item": {"sku": "screw", "title": "Screw", "quantity": "50"}}]
        """);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode s = json(r);
    assertThat(s.get("imported").asInt()).isEqualTo(2);
    assertThat(s.get("totalQuantity").asText()).isEqualTo("150");
    assertThat(json(get(gateway, "/v1/warehouses/east/items/screw")).get("parent")).as("path var went into each").isNull();
    assertThat(json(get(gateway, "/v1/warehouses/east/items/screw")).get("quantity").asText()).isEqualTo("50");
  }

  @Test
  void clientStreamingTakesNdjson() {
    HttpResponse<String> r = GrpcFixture.send(GrpcFixture.request(gateway, "/v1/warehouses/main/items:import")
        .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(
            "{\"item\": {\"sku\": \"bolt\", \"quantity\": \"5\"}}\n\n{\"item\": {\"sku\": \"nut\"}}\n")));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("skus")).extracting(JsonNode::asText).containsExactly("bolt", "nut");
  }

  @Test
  void aBadElementOfAClientStreamIsReportedWithItsIndex() {
    HttpResponse<String> r = GrpcFixture.call(gateway, "POST", "/v1/warehouses/east/items:import",
        "[{\"item\": {\"sku\": \"a\"}}, {\"item\": {\"sku\": \"b\", \"quantity\": \"many\"}}]");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).get("errors").get(0).get("pointer").asText()).isEqualTo("/1/item/quantity");
  }

  @Test
  void theBackendsVerdictOnAClientStreamIsAProblem() {
    HttpResponse<String> r = GrpcFixture.call(gateway, "POST", "/v1/warehouses/east/items:import",
        "[{\"item\": {\"sku\": \"ok\"}}, {\"item\": {\"title\": \"no sku\"}}]");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).get("errors").get(0).get("pointer").asText()).isEqualTo("/items/1/sku");
  }
}
