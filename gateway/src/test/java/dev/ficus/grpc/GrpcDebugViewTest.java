package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.http.Json;
import dev.ficus.server.GatewayServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code Ficus-Debug: request} on a mapping with {@code debug} answers the gRPC request the
 * gateway would send, without sending it: the same method, message and metadata that a capture
 * grpc-java server of the test's own ({@link DynamicGrpcServer} with {@link MetadataCapture})
 * receives when the same request is sent normally, credentials masked. Without {@code debug}
 * the header means nothing.
 */
class GrpcDebugViewTest {
  /** What grpc-java's server sees that the transport, not the mapping, adds. */
  static final Set<String> TRANSPORT = Set.of("user-agent", "grpc-accept-encoding", "content-type", "te",
      "grpc-timeout", "content-length");
  static final String ROUTE = "/items/warehouses/main?validateOnly=true";
  static final String BODY = """
      {"sku":"h-1","title":"Hammer","quantity":"12","price":{"currencyCode":"EUR","units":"9","nanos":500000000},
       "tags":["a","b"],"thumbnail":"AP8="}""";
  static final String[] HEADERS = {"X-Tenant", "acme", "Authorization", "Bearer s3cr3t",
      "X-Tenant-Pin", "1234", "x-blob-bin", "AP8", "Cookie", "sid=1", "X-Unlisted", "no"};

  @TempDir
  static Path tmp;
  static DynamicGrpcServer backend;
  static final MetadataCapture CAPTURE = new MetadataCapture();
  static GatewayServer gateway;

  @BeforeAll
  static void start() throws Exception {
    Path config = GrpcFixture.workspace(tmp);
    backend = DynamicGrpcServer.inventory(tmp, CAPTURE);
    int port = backend.port();
    String operations = """
          - route: POST /TRANSPORT/items/{parent=warehouses/*}
            call: CreateItem
            timeout: 3s
            request: {parent: path.parent, item: body, validate_only: query.validateOnly, item_id: header.x-sku}
          - route: POST /TRANSPORT/import/{parent=warehouses/*}
            call: ImportItems
        """;
    GrpcFixture.writeTransportMappings(config, port, """
            metadata:
              forward: [x-tenant, x-tenant-pin, authorization, cookie, x-blob-bin]
            debug:
              redact: [x-tenant-pin]
        """, operations);
    GrpcFixture.write(config, "off.yaml", """
        ficus: mapping/v1
        backend:
          grpc:
            target: 127.0.0.1:%d
            proto: ../proto/inventory.proto
            httpRules: false
            metadata:
              forward: [x-tenant]
        operations:
        """.formatted(port) + operations.replace("TRANSPORT", "off"));
    gateway = GrpcFixture.start(config);
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    backend.close();
  }

  @BeforeEach
  void forgetEarlierCalls() {
    CAPTURE.clear();
    backend.drain();
  }

  private static String[] with(String... more) {
    String[] all = java.util.Arrays.copyOf(HEADERS, HEADERS.length + more.length);
    System.arraycopy(more, 0, all, HEADERS.length, more.length);
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "channel"})
  void theDryRunShowsWhatTheBackendReceivesWhenCalledNormally(String transport) throws Exception {
    String path = "/" + transport + ROUTE;
    HttpResponse<String> dry = GrpcFixture.call(gateway, "POST", path, BODY,
        with("X-Sku", "h-1", "Ficus-Debug", "request"));
    assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
    assertThat(dry.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(dry.headers().firstValue("cache-control")).hasValue("no-store");
    assertThat(CAPTURE.noCallWithin(300)).as("a dry run does not call the backend").isTrue();
    assertThat(backend.drain()).isEmpty();
    JsonNode view = Json.MAPPER.readTree(dry.body());

    HttpResponse<String> real = GrpcFixture.call(gateway, "POST", path, BODY, with("X-Sku", "h-1"));
    assertThat(real.statusCode()).as(real.body()).isEqualTo(200);
    String arrived = backend.next();
    Map<String, List<String>> metadata = CAPTURE.nextAsText();

    assertThat(view.path("dryRun").asBoolean()).isTrue();
    assertThat(view.path("method").asText()).isEqualTo("inventory.v1.Inventory/CreateItem");
    assertThat(arrived).startsWith("Inventory/CreateItem ");
    assertThat(view.path("message")).isEqualTo(Json.MAPPER.readTree(arrived.substring(arrived.indexOf(' ') + 1)));
    assertThat(view.path("message").path("itemId").asText()).isEqualTo("h-1");
    assertThat(view.path("transport").asText()).isEqualTo(transport);
    assertThat(view.path("timeout").asText()).isEqualTo("3000ms");
    assertThat(view.path("target").asText()).isEqualTo(backend.target());

    Map<String, List<String>> shown = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = view.path("metadata").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      List<String> vs = new java.util.ArrayList<>();
      e.getValue().forEach(v -> vs.add(v.asText()));
      shown.put(e.getKey(), vs);
    }
    Set<String> onlyTransport = new TreeSet<>(metadata.keySet());
    onlyTransport.removeAll(shown.keySet());
    assertThat(TRANSPORT).as("what the backend got beyond the view").containsAll(onlyTransport);
    assertThat(shown.keySet()).containsExactlyInAnyOrderElementsOf(
        List.of("x-tenant", "x-tenant-pin", "authorization", "cookie", "x-blob-bin", "traceparent", "x-request-id"));
    assertThat(metadata.keySet()).containsAll(shown.keySet());
    for (String k : shown.keySet()) {
      if (Set.of("traceparent", "x-request-id").contains(k)) {
        // The request context's: each request has its own id and trace, the dry run too.
        assertThat(shown.get(k)).as(k).hasSize(1);
        assertThat(metadata.get(k)).as(k).hasSize(1);
      } else if (Set.of("authorization", "cookie", "x-tenant-pin").contains(k)) {
        assertThat(shown.get(k)).as(k).containsExactly("[redacted]");
        assertThat(metadata.get(k)).as(k).doesNotContain("[redacted]").hasSize(1);
      } else {
        assertThat(shown.get(k)).as(k).isEqualTo(metadata.get(k));
      }
    }
    assertThat(shown.get("x-blob-bin")).containsExactly("AP8=");
    assertThat(dry.body()).doesNotContain("s3cr3t").doesNotContain("sid=1").doesNotContain("1234");
  }

  @Test
  void aClientStreamShowsEachMessage() throws Exception {
    HttpResponse<String> dry = GrpcFixture.call(gateway, "POST", "/channel/import/warehouses/w",
        "[{\"item\":{\"sku\":\"a\"}},{\"item\":{\"sku\":\"b\"}}]", "Ficus-Debug", "request");
    assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
    JsonNode view = Json.MAPPER.readTree(dry.body());
    assertThat(view.path("method").asText()).isEqualTo("inventory.v1.Inventory/ImportItems");
    assertThat(view.path("messages")).hasSize(2);
    assertThat(view.path("messages").get(1).path("item").path("sku").asText()).isEqualTo("b");
    assertThat(view.path("messages").get(0).path("parent").asText()).isEqualTo("warehouses/w");
    assertThat(CAPTURE.noCallWithin(300)).isTrue();
  }

  @Test
  void withoutDebugInTheMappingTheHeaderIsIgnoredAndTheBackendIsCalled() throws Exception {
    HttpResponse<String> r = GrpcFixture.call(gateway, "POST", "/off" + ROUTE, BODY,
        with("X-Sku", "h-1", "Ficus-Debug", "request"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).doesNotContain("dryRun");
    assertThat(backend.next()).startsWith("Inventory/CreateItem ");
    assertThat(CAPTURE.next()).isNotNull();
    HttpResponse<String> odd = GrpcFixture.call(gateway, "POST", "/off" + ROUTE, BODY, "Ficus-Debug", "everything");
    assertThat(odd.statusCode()).as("any value is ignored").isEqualTo(200);
  }

  @Test
  void anotherValueOfTheHeaderIsAnInvalidRequestWhenDebugIsOn() throws Exception {
    HttpResponse<String> r = GrpcFixture.call(gateway, "POST", "/direct" + ROUTE, BODY, "Ficus-Debug", "response");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("header:ficus-debug");
    assertThat(CAPTURE.noCallWithin(300)).isTrue();
  }
}
