package dev.ficus.grpc;

import static dev.ficus.grpc.GrpcFixture.call;
import static dev.ficus.grpc.GrpcFixture.get;
import static dev.ficus.grpc.UnaryTranscodingTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.server.GatewayServer;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request body that protobuf-java-util refuses is a 400 whose errors carry the JSON pointer
 * of each member at fault, at any depth, in lists and maps, in a body that is one field and in
 * each element of a client stream; a bad path variable or query parameter is named as the route
 * spells it ({@code path:size}, {@code query:fill}), not by the field it fills. Against a real
 * grpc-java server that echoes each request (and counts the calls: a refused request never
 * reaches it), on both unary transports.
 */
class GrpcRequestPointersTest {
  private static final String PROTO = """
      syntax = "proto3";
      package pointers.v1;
      import "google/protobuf/timestamp.proto";
      service Echo {
        rpc Call(SimpleRequest) returns (SimpleRequest);
        rpc Collect(stream SimpleRequest) returns (SimpleRequest);
      }
      enum PayloadType {
        COMPRESSABLE = 0;
        UNCOMPRESSABLE = 1;
      }
      message Payload {
        PayloadType type = 1;
        bytes body = 2;
      }
      message SimpleRequest {
        int32 response_size = 1;
        Payload payload = 2;
        repeated Payload items = 3;
        map<string, Payload> by_name = 4;
        bool fill_username = 5;
        google.protobuf.Timestamp at = 6;
        repeated int32 sizes = 7;
      }
      """;

  @TempDir
  static Path tmp;
  static io.grpc.Server backend;
  static GatewayServer gateway;
  static final AtomicInteger CALLS = new AtomicInteger();

  @BeforeAll
  static void start() throws IOException {
    backend = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(io.grpc.ServerServiceDefinition.builder("pointers.v1.Echo")
            .addMethod(GrpcFixture.rawMethod("pointers.v1.Echo/Call", io.grpc.MethodDescriptor.MethodType.UNARY),
                ServerCalls.asyncUnaryCall((byte[] request, StreamObserver<byte[]> out) -> {
                  CALLS.incrementAndGet();
                  out.onNext(request);
                  out.onCompleted();
                }))
            .addMethod(GrpcFixture.rawMethod("pointers.v1.Echo/Collect", io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING),
                ServerCalls.asyncClientStreamingCall(out -> {
                  CALLS.incrementAndGet();
                  return new StreamObserver<byte[]>() {
                    @Override
                    public void onNext(byte[] request) {}

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {
                      out.onNext(new byte[0]);
                      out.onCompleted();
                    }
                  };
                }))
            .build())
        .build().start();
    Path config = GrpcFixture.workspace(tmp);
    GrpcFixture.write(config, "pointers.proto", PROTO);
    for (String transport : java.util.List.of("direct", "channel")) {
      GrpcFixture.write(config, transport + ".yaml", """
          ficus: mapping/v1
          backend:
            grpc:
              target: 127.0.0.1:%d
              proto: pointers.proto
              httpRules: false
              directUnary: %s
          operations:
            - route: POST /%s/call
              call: Call
              request: body
            - route: POST /%s/payload
              call: Call
              request: {payload: body}
            - route: GET /%s/size/{size}
              call: Call
              request: {responseSize: path.size, fillUsername: query.fill}
            - route: POST /%s/collect
              call: Collect
              request: body
          """.formatted(backend.getPort(), transport.equals("direct"), transport, transport, transport, transport));
    }
    gateway = GrpcFixture.start(config);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (backend != null) {
      backend.shutdownNow();
    }
  }

  /** The 400 of a refused request that never reached the backend. */
  private static JsonNode refused(HttpResponse<String> r, int callsBefore) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(CALLS.get()).as("the backend was not called").isEqualTo(callsBefore);
    JsonNode p = json(r);
    assertThat(p.get("type").asText()).isEqualTo("urn:ficus:problem:invalid-request");
    return p;
  }

  private static JsonNode refusedAt(String path, String body, String... pointers) {
    int before = CALLS.get();
    JsonNode p = refused(call(gateway, "POST", path, body), before);
    assertThat(p.get("errors")).as(p.toString()).extracting(e -> e.get("pointer").asText())
        .containsExactlyInAnyOrder(pointers);
    return p;
  }

  @ParameterizedTest(name = "{0}: {1} at {2}")
  @CsvSource(delimiter = '|', textBlock = """
      direct  | {"fillUsername": "yes"}                          | /fillUsername
      direct  | {"responseSize": 3000000000}                     | /responseSize
      direct  | {"payload": {"type": "SQUISHY"}}                 | /payload/type
      direct  | {"payload": {"body": 12}}                        | /payload/body
      direct  | {"payload": "abc"}                               | /payload
      direct  | {"responseSise": 1}                              | /responseSise
      direct  | {"payload": {"bodi": "AA=="}}                    | /payload/bodi
      direct  | {"items": [{}, {}, {}, {"type": "NOPE"}]}        | /items/3/type
      direct  | {"sizes": [1, 2, 3, "x"]}                        | /sizes/3
      direct  | {"by_name": {"a": {"bodi": "AA=="}}}             | /by_name/a/bodi
      direct  | {"at": "yesterday"}                              | /at
      channel | {"fillUsername": "yes"}                          | /fillUsername
      channel | {"responseSize": 3000000000}                     | /responseSize
      channel | {"payload": {"type": "SQUISHY"}}                 | /payload/type
      channel | {"payload": {"body": 12}}                        | /payload/body
      channel | {"payload": "abc"}                               | /payload
      channel | {"responseSise": 1}                              | /responseSise
      channel | {"payload": {"bodi": "AA=="}}                    | /payload/bodi
      channel | {"items": [{}, {}, {}, {"type": "NOPE"}]}        | /items/3/type
      """)
  void aBodyMemberThatDoesNotFitIsNamedByItsPointer(String transport, String body, String pointer) {
    refusedAt("/" + transport + "/call", body, pointer);
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "channel"})
  void everyMemberAtFaultIsReportedAtOnceAndAnUnknownOneWithASuggestion(String transport) {
    JsonNode p = refusedAt("/" + transport + "/call",
        "{\"responseSise\": 1, \"payload\": {\"bodi\": \"AA==\", \"type\": \"NOPE\"}, \"sizes\": [\"x\"]}",
        "/responseSise", "/payload/bodi", "/payload/type", "/sizes/0");
    assertThat(p.get("errors").get(0).get("detail").asText())
        .isEqualTo("pointers.v1.SimpleRequest has no field 'responseSise'; did you mean 'responseSize'?");
    assertThat(p.get("detail").asText()).isEqualTo("The body does not fit pointers.v1.SimpleRequest (4 problems)");
  }

  @Test
  void aSingleFaultIsNamedInTheDetailToo() {
    JsonNode p = refusedAt("/direct/call", "{\"responseSize\": 3000000000}", "/responseSize");
    assertThat(p.get("detail").asText()).startsWith("The body does not fit pointers.v1.SimpleRequest: /responseSize: ")
        .contains("3000000000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "channel"})
  void aBodyThatIsOneFieldHasPointersFromThatField(String transport) {
    refusedAt("/" + transport + "/payload", "{\"bodi\": \"AA==\", \"type\": \"SQUISHY\"}", "/bodi", "/type");
  }

  @Test
  void aClientStreamElementAtFaultIsNamedByItsIndexAndMember() {
    refusedAt("/channel/collect", "[{\"responseSize\": 1}, {\"payload\": {\"bodi\": \"\"}}]", "/1/payload/bodi");
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "channel"})
  void aBadPathVariableOrQueryParameterIsNamedAsTheRouteSpellsIt(String transport) {
    int before = CALLS.get();
    JsonNode p = refused(get(gateway, "/" + transport + "/size/big?fill=maybe"), before);
    assertThat(p.get("errors")).as(p.toString()).extracting(e -> e.get("pointer").asText())
        .containsExactlyInAnyOrder("path:size", "query:fill");
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "channel"})
  void aRequestThatFitsReachesTheBackend(String transport) {
    HttpResponse<String> r = call(gateway, "POST", "/" + transport + "/call",
        "{\"responseSize\": 3, \"payload\": {\"type\": \"UNCOMPRESSABLE\", \"body\": \"AAE=\"},"
            + " \"sizes\": [1, \"2\"]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("payload").get("type").asText()).isEqualTo("UNCOMPRESSABLE");
    assertThat(get(gateway, "/" + transport + "/size/7?fill=true").statusCode()).isEqualTo(200);
  }
}
