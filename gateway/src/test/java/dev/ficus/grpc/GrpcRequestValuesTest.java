package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.server.GatewayServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a gRPC backend receives of values that JSON and URLs carry awkwardly: the sign of
 * {@code -0.0}. The backend is a grpc-java server of the test ({@link DynamicGrpcServer}) that
 * records each request message as it decoded it off the wire and echoes it.
 */
class GrpcRequestValuesTest {
  private static final String PROTO = """
      syntax = "proto3";
      package vals.v1;
      import "google/api/annotations.proto";
      import "google/protobuf/wrappers.proto";
      message Inner { double d = 1; }
      message Values {
        string name = 1;
        double d = 2;
        float f = 3;
        repeated double ds = 4;
        map<string, double> m = 5;
        google.protobuf.DoubleValue w = 6;
        Inner inner = 7;
        string id = 8;
        int32 n = 9;
      }
      service Vals {
        rpc Put(Values) returns (Values) { option (google.api.http) = { post: "/v1/values" body: "*" }; }
        rpc Get(Values) returns (Values) { option (google.api.http) = { get: "/v1/items/{id}" }; }
        rpc Shelf(Values) returns (Values) { option (google.api.http) = { get: "/v1/{name=shelves/*/books/**}" }; }
      }
      """;

  @TempDir
  static Path tmp;
  static DynamicGrpcServer backend;
  GatewayServer gateway;

  @BeforeAll
  static void startBackend() throws Exception {
    Path protos = Files.createDirectories(tmp.resolve("protos"));
    GrpcFixture.write(protos, "vals.proto", PROTO);
    backend = new DynamicGrpcServer(ProtoTextLoader.load(protos.resolve("vals.proto"), List.of(protos), protos)
        .services(), (m, req) -> req);
  }

  @AfterAll
  static void stopBackend() throws InterruptedException {
    backend.close();
  }

  @BeforeEach
  void startGateway() throws Exception {
    Path config = Files.createDirectories(tmp.resolve("config-" + System.nanoTime()));
    GrpcFixture.write(config, "vals.yaml", """
        ficus: mapping/v1
        backend:
          grpc:
            target: %s
            proto: ../protos/vals.proto
            protoPath: ../protos
        """.formatted(backend.target()));
    gateway = GrpcFixture.start(config);
  }

  @AfterEach
  void stopGateway() {
    gateway.close();
    backend.drain();
  }

  @Test
  void negativeZeroKeepsItsSignInDoublesFloatsListsMapsWrappersAndNestedMessages() throws Exception {
    HttpResponse<String> r = GrpcFixture.call(gateway, "POST", "/v1/values",
        "{\"d\": -0.0, \"f\": -0.0, \"ds\": [1.5, -0.0], \"m\": {\"k\": -0E3}, \"w\": -0.0, \"inner\": {\"d\": -0.00}}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String got = backend.next();
    assertThat(got).startsWith("Vals/Put ")
        .contains("\"d\":-0.0", "\"f\":-0.0", "\"ds\":[1.5,-0.0]", "\"m\":{\"k\":-0.0}", "\"w\":-0.0",
            "\"inner\":{\"d\":-0.0}");
  }

  @Test
  void aPlainZeroAndAnIntegerMinusZeroStayZeroAndNoUnsetMessageAppears() throws Exception {
    HttpResponse<String> r = GrpcFixture.call(gateway, "POST", "/v1/values", "{\"d\": 0.0, \"n\": -0, \"ds\": [-0]}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(backend.next()).isEqualTo("Vals/Put {\"ds\":[0.0]}");
  }
}
