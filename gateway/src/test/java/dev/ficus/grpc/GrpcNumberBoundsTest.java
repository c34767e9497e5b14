package dev.ficus.grpc;

import static dev.ficus.grpc.GrpcFixture.call;
import static dev.ficus.grpc.GrpcFixture.get;
import static dev.ficus.grpc.UnaryTranscodingTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.server.GatewayServer;
import dev.ficus.testing.CpuTime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Numbers on gRPC routes, against a real grpc-java server that echoes each request's bytes
 * (so whatever the gateway sent comes back as JSON) and answers {@code Deep} with a message
 * nested far deeper than any real one. A number past the gateway's bounds, number or string, is
 * a 400 at its member (before protobuf-java-util, whose own refusal names no member) and the
 * server is never called; a text value past a double's range is not Infinity; a pathologically
 * deep reply is a quick 502, not a stack overflow that leaves the client waiting.
 */
class GrpcNumberBoundsTest {
  private static final String PROTO = """
      syntax = "proto3";
      package numbers.v1;
      import "google/protobuf/wrappers.proto";
      service Numbers {
        rpc Put(Amount) returns (Amount);
        rpc Deep(Amount) returns (Node);
      }
      message Amount {
        uint64 units = 1;
        double rate = 2;
        repeated fixed64 many = 3;
        map<uint64, string> by_key = 4;
        string label = 5;
        google.protobuf.UInt64Value wrapped = 6;
        Amount inner = 7;
      }
      message Node {
        Node child = 1;
        string name = 2;
      }
      """;

  @TempDir
  static Path tmp;
  static io.grpc.Server backend;
  static GatewayServer gateway;
  static final AtomicInteger CALLS = new AtomicInteger();

  @BeforeAll
  static void start() throws IOException {
    io.grpc.MethodDescriptor.Marshaller<byte[]> raw = GrpcMappingCompiler.ReplyBytes.INSTANCE;
    byte[] deep = nested(100_000);
    backend = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(io.grpc.ServerServiceDefinition.builder("numbers.v1.Numbers")
            .addMethod(method(raw, "Put"), io.grpc.stub.ServerCalls.asyncUnaryCall(
                (byte[] request, io.grpc.stub.StreamObserver<byte[]> out) -> {
                  CALLS.incrementAndGet();
                  out.onNext(request);
                  out.onCompleted();
                }))
            .addMethod(method(raw, "Deep"), io.grpc.stub.ServerCalls.asyncUnaryCall(
                (byte[] request, io.grpc.stub.StreamObserver<byte[]> out) -> {
                  out.onNext(deep);
                  out.onCompleted();
                }))
            .build())
        .build().start();
    Path config = GrpcFixture.workspace(tmp);
    GrpcFixture.write(config, "numbers.proto", PROTO);
    GrpcFixture.write(config, "numbers.yaml", """
        ficus: mapping/v1
        backend:
          grpc:
            target: 127.0.0.1:%d
            proto: numbers.proto
            httpRules: false
        operations:
          - route: POST /n/put
            call: Put
            request: body
          - route: GET /n/units/{units}
            call: Put
            request: {units: path.units, rate: query.rate}
          - route: GET /n/deep
            call: Deep
        """.formatted(backend.getPort()));
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

  private static io.grpc.MethodDescriptor<byte[], byte[]> method(io.grpc.MethodDescriptor.Marshaller<byte[]> raw,
      String name) {
    return io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder(raw, raw)
        .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("numbers.v1.Numbers/" + name).build();
  }

  /** A Node whose child is a Node whose child is … {@code depth} levels, as wire bytes. */
  static byte[] nested(int depth) {
    byte[] m = {0x12, 0x01, 'x'};
    for (int i = 0; i < depth; i++) {
      ByteArrayOutputStream b = new ByteArrayOutputStream(m.length + 6);
      b.write(0x0a);
      int n = m.length;
      while (n >= 0x80) {
        b.write((n & 0x7f) | 0x80);
        n >>>= 7;
      }
      b.write(n);
      b.writeBytes(m);
      m = b.toByteArray();
    }
    return m;
  }

  private static JsonNode problem(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    return json(r);
  }

  private static void assertRefusedAt(String body, String... pointers) {
    int before = CALLS.get();
    long cpu0 = CpuTime.process();
    HttpResponse<String> r = call(gateway, "POST", "/n/put", body);
    Duration cpu = CpuTime.processSince(cpu0);

    JsonNode p = problem(r, 400);
    assertThat(p.get("type").asText()).isEqualTo("urn:ficus:problem:invalid-request");
    assertThat(p.get("errors")).extracting(e -> e.get("pointer").asText()).containsExactlyInAnyOrder(pointers);
    assertThat(CALLS.get()).as("the backend was not called").isEqualTo(before);
    assertThat(cpu).as("CPU spent on the request").isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void aUint64WithAHugeExponentIsA400AtItsMember() {
    assertRefusedAt("{\"units\":1e999999999}", "/units");
  }

  @Test
  void aUint64StringWithAHugeExponentIsA400Too() {
    assertRefusedAt("{\"units\":\"1e999999999\"}", "/units");
  }

  @Test
  void hugeNumbersInListsMapKeysWrappersAndNestedMessagesAreEachNamed() {
    assertRefusedAt("{\"many\":[1,\"2e999999999\"],\"by_key\":{\"9e999999999\":\"x\"},"
        + "\"wrapped\":\"1e999999999\",\"inner\":{\"rate\":1e-999999999}}",
        "/many/1", "/by_key/9e999999999", "/wrapped", "/inner/rate");
  }

  @Test
  void aStringFieldMayHoldTextThatLooksLikeAHugeNumber() {
    HttpResponse<String> r = call(gateway, "POST", "/n/put", "{\"label\":\"1e999999999\",\"units\":\"42\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("label").asText()).isEqualTo("1e999999999");
    assertThat(json(r).get("units").asText()).isEqualTo("42");
  }

  @Test
  void aHugeExponentInAPathOrQueryValueIsA400NamingTheParameter() {
    HttpResponse<String> r = get(gateway, "/n/units/" + "1".repeat(1200) + "?rate=1e400");

    JsonNode p = problem(r, 400);
    assertThat(p.get("errors")).extracting(e -> e.get("pointer").asText())
        .containsExactlyInAnyOrder("path:units", "query:rate");
    assertThat(p.toString()).contains("1200 characters").contains("out of the range of a double");
  }

  @Test
  void aReplyNestedAHundredThousandLevelsDeepIsAQuick502() {
    long cpu0 = CpuTime.process();
    HttpResponse<String> r = get(gateway, "/n/deep");
    Duration cpu = CpuTime.processSince(cpu0);

    JsonNode p = problem(r, 502);
    assertThat(p.get("type").asText()).isEqualTo("urn:ficus:problem:bad-gateway");
    assertThat(p.get("detail").asText()).contains("nesting");
    assertThat(cpu).as("CPU spent on the reply").isLessThan(Duration.ofSeconds(2));
  }
}
