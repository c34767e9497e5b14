package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.http.Json;
import dev.ficus.server.GatewayServer;
import io.grpc.Metadata;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Binary ({@code -bin}) metadata crosses the gateway both ways, base64 on the HTTP side and bytes
 * on gRPC's, through the mapping's metadata allow-lists, on both unary transports and on
 * streams. The backend is a grpc-java server of the test's own ({@link DynamicGrpcServer} with
 * {@link MetadataCapture}) that echoes each binary request entry as a response header and as a
 * trailer.
 */
class GrpcBinaryMetadataTest {
  /** Bytes that are not text: a NUL, high bytes, a comma and a CR LF. */
  static final byte[] BLOB = {0, 1, (byte) 0xfe, (byte) 0xff, ',', '\r', '\n', 'z'};
  static final Metadata.Key<byte[]> BLOB_KEY = Metadata.Key.of("x-blob-bin", Metadata.BINARY_BYTE_MARSHALLER);

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
    GrpcFixture.writeTransportMappings(config, port, """
            metadata:
              forward: [x-blob-bin, "x-ctx-*"]
              return: [x-blob-bin, "trailer-*"]
        """, """
          - route: GET /TRANSPORT/items/{name=warehouses/*/items/*}
            call: GetItem
          - route: GET /TRANSPORT/watch/{name=warehouses/*/items/*}
            call: WatchStock
          - route: POST /TRANSPORT/import/{parent=warehouses/*}
            call: ImportItems
        """);
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

  private static String unpadded(byte[] b) {
    return Base64.getEncoder().withoutPadding().encodeToString(b);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "channel"})
  void aBinaryHeaderReachesTheBackendAsBytesAndItsEchoesComeBackAsBase64(String transport) throws Exception {
    HttpResponse<String> r = GrpcFixture.get(gateway, "/" + transport + "/items/warehouses/w/items/i",
        "X-Blob-Bin", unpadded(BLOB), "x-ctx-trace-bin", Base64.getEncoder().encodeToString(new byte[] {7}),
        "x-other-bin", "AAAA");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Metadata seen = CAPTURE.next();
    assertThat(seen.get(BLOB_KEY)).isEqualTo(BLOB);
    assertThat(seen.get(Metadata.Key.of("x-ctx-trace-bin", Metadata.BINARY_BYTE_MARSHALLER))).containsExactly(7);
    assertThat(seen.keys()).as("not in metadata.forward").doesNotContain("x-other-bin");
    // Padded standard base64 on the way back, from the response headers and from the trailers.
    String blob = Base64.getEncoder().encodeToString(BLOB);
    assertThat(r.headers().allValues("x-blob-bin")).containsExactly(blob);
    assertThat(r.headers().allValues("trailer-x-blob-bin")).containsExactly(blob);
    assertThat(r.headers().allValues("trailer-x-ctx-trace-bin")).containsExactly("Bw==");
    assertThat(r.headers().firstValue("x-ctx-trace-bin")).as("not in metadata.return").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "channel"})
  void severalValuesInOneLineOrManyArriveEachAsItsOwnEntry(String transport) throws Exception {
    HttpResponse<String> r = GrpcFixture.get(gateway, "/" + transport + "/items/warehouses/w/items/i",
        "x-blob-bin", "AQ==, Ag", "x-blob-bin", "-_8");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<byte[]> values = new java.util.ArrayList<>();
    CAPTURE.next().getAll(BLOB_KEY).forEach(values::add);
    assertThat(values).containsExactly(new byte[] {1}, new byte[] {2}, new byte[] {(byte) 0xfb, (byte) 0xff});
    assertThat(r.headers().allValues("trailer-x-blob-bin")).containsExactly("AQ==", "Ag==", "+/8=");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "channel"})
  void aBinaryHeaderThatIsNotBase64IsTheClientsErrorAndNamesTheHeader(String transport) throws Exception {
    HttpResponse<String> r = GrpcFixture.get(gateway, "/" + transport + "/items/warehouses/w/items/i",
        "x-blob-bin", "not base64!");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonNode p = Json.MAPPER.readTree(r.body());
    assertThat(p.path("detail").asText()).contains("x-blob-bin").contains("base64");
    assertThat(p.path("errors").get(0).path("pointer").asText()).isEqualTo("header:x-blob-bin");
    assertThat(CAPTURE.noCallWithin(300)).as("the backend is not called").isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "channel"})
  void aBinaryHeaderThatNoListAllowsIsIgnoredEvenWhenItIsNotBase64(String transport) throws Exception {
    HttpResponse<String> r = GrpcFixture.get(gateway, "/" + transport + "/items/warehouses/w/items/i",
        "x-other-bin", "not base64!");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(CAPTURE.next().keys()).doesNotContain("x-other-bin");
  }

  @org.junit.jupiter.api.Test
  void aServerStreamCarriesBinaryMetadataBothWays() throws Exception {
    HttpResponse<String> r = GrpcFixture.send(GrpcFixture.request(gateway, "/channel/watch/warehouses/w/items/i")
        .header("Accept", "application/x-ndjson").header("x-blob-bin", unpadded(BLOB)).GET());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(CAPTURE.next().get(BLOB_KEY)).isEqualTo(BLOB);
    // A stream's headers come back; its trailers come after the first message was written.
    assertThat(r.headers().allValues("x-blob-bin")).containsExactly(Base64.getEncoder().encodeToString(BLOB));
  }

  @org.junit.jupiter.api.Test
  void aClientStreamCarriesBinaryMetadataBothWaysAndRefusesBadBase64() throws Exception {
    HttpResponse<String> r = GrpcFixture.call(gateway, "POST", "/channel/import/warehouses/w",
        "[{\"item\":{\"sku\":\"a\"}},{\"item\":{\"sku\":\"b\"}}]", "x-blob-bin", unpadded(BLOB));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(CAPTURE.next().get(BLOB_KEY)).isEqualTo(BLOB);
    String blob = Base64.getEncoder().encodeToString(BLOB);
    assertThat(r.headers().allValues("x-blob-bin")).containsExactly(blob);
    assertThat(r.headers().allValues("trailer-x-blob-bin")).containsExactly(blob);
    HttpResponse<String> bad = GrpcFixture.call(gateway, "POST", "/channel/import/warehouses/w", "[]",
        "x-blob-bin", "%%%");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("x-blob-bin");
    assertThat(CAPTURE.noCallWithin(300)).isTrue();
  }
}
