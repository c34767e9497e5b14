package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.config.ConfigProblem;
import dev.ficus.config.Problems;
import dev.ficus.config.Specs;
import dev.ficus.server.GatewayCompiler;
import dev.ficus.server.GatewayRuntime;
import dev.ficus.server.SharedState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gRPC mapping is checked against the descriptors when the configuration is compiled: every
 * problem is reported at once, at the YAML (or .proto) line and column at fault. No backend runs:
 * the descriptors come from the .proto text.
 */
class GrpcCompileProblemsTest {
  @TempDir
  Path tmp;
  Path config;
  SharedState shared;

  @BeforeEach
  void workspace() {
    config = GrpcFixture.workspace(tmp);
    shared = new SharedState(1 << 20, 1);
  }

  @AfterEach
  void close() {
    shared.close();
  }

  private List<String> problems(String mapping) {
    GrpcFixture.write(config, "m.yaml", mapping);
    GatewayCompiler compiler = new GatewayCompiler(n -> null);
    Problems problems = new Problems();
    Specs.ConfigSpec spec = compiler.load(config, problems);
    GatewayRuntime rt = compiler.compile(spec, shared, problems);
    List<String> out = problems.sorted().stream().map(ConfigProblem::toString).toList();
    assertThat(rt == null).as("compiles only without problems: " + out).isEqualTo(!out.isEmpty());
    return out;
  }

  /** Compiles a mapping that must have no problems (warnings allowed). */
  private GatewayRuntime compiled(String mapping) {
    GrpcFixture.write(config, "m.yaml", mapping);
    GatewayCompiler compiler = new GatewayCompiler(n -> null);
    Problems problems = new Problems();
    GatewayRuntime rt = compiler.compile(compiler.load(config, problems), shared, problems);
    assertThat(problems.sorted()).isEmpty();
    return rt;
  }

  private static final String HEAD = """
      ficus: mapping/v1
      backend:
        grpc:
          target: 127.0.0.1:1
          proto: ../proto/inventory.proto
      """;

  @Test
  void theSampleProtoAloneCompiles() {
    assertThat(problems(HEAD)).isEmpty();
  }

  @Test
  void anUnknownMethodGetsADidYouMean() {
    assertThat(problems(HEAD + """
        operations:
          - route: GET /api/items/{name}
            call: GetItme
        """)).containsExactly("m.yaml:8:5: 'GetItme' is not a method of inventory.v1.Inventory; did you mean 'GetItem'?");
  }

  @Test
  void aPathVariableMustNameAField() {
    assertThat(problems(HEAD + """
        operations:
          - route: GET /api/items/{nam}
            call: GetItem
        """)).singleElement().asString()
        .startsWith("m.yaml:7:5: route GET /api/items/{nam}: path variable {nam}: inventory.v1.GetItemRequest has "
            + "no field 'nam'; did you mean 'name'?");
  }

  @Test
  void aPathVariableCannotFillAMessage() {
    assertThat(problems(HEAD + """
        operations:
          - route: PATCH /api/items/{item}
            call: UpdateItem
        """)).singleElement().asString().contains("'item' is a message (inventory.v1.Item)");
  }

  @Test
  void bindingsAreCheckedAgainstTheRequestMessage() {
    assertThat(problems(HEAD + """
        operations:
          - route: POST /api/items/{id}
            call: CreateItem
            request:
              itme: body
              parent: path.id
              item_id: query.id
              nope: header.x-nope
        """)).containsExactly(
            "m.yaml:7:5: route POST /api/items/{id}: body 'itme' is not a field of inventory.v1.CreateItemRequest; "
                + "did you mean 'item'?",
            "m.yaml:10:7: header 'x-nope': inventory.v1.CreateItemRequest has no field 'nope'; "
                + "expected one of: item, item_id, parent, validate_only");
  }

  @Test
  void aGetRouteCannotTakeABody() {
    assertThat(problems(HEAD + """
        operations:
          - route: GET /api/reserve/{name=warehouses/*/items/*}
            call: ReserveStock
            request: body
        """)).singleElement().asString().contains("a GET route cannot take a body");
  }

  @Test
  void aBidirectionalMethodOnAPostRouteIsServedHalfDuplexNotRefused() {
    GatewayRuntime rt = compiled(HEAD + """
        operations:
          - route: POST /api/stock:adjust
            call: AdjustStock
        """);
    assertThat(rt.routes()).filteredOn(r -> r.startsWith("POST /api/stock:adjust "))
        .singleElement().asString().contains("bidirectional, half-duplex");
  }

  @Test
  void twoMappingRoutesForTheSameRequestsConflict() {
    assertThat(problems(HEAD + """
        operations:
          - route: GET /api/items/{name}
            call: GetItem
          - route: GET /api/items/{sku}
            call: GetStock
            request:
              name: path.sku
        """)).containsExactly("m.yaml:9:5: route GET /api/items/{sku} (GET /api/items/{sku}) matches the same "
            + "requests as route GET /api/items/{name} at m.yaml:7:5; change one of the paths or remove one");
  }

  @Test
  void aMappingRouteOverridesTheProtoRuleForTheSameRequests() {
    GrpcFixture.write(config, "m.yaml", HEAD + """
        operations:
          - route: GET /v1/{name=warehouses/*/items/*}/quantity
            call: GetStock
            response:
              select: reserved
        """);
    GatewayCompiler compiler = new GatewayCompiler(n -> null);
    Problems problems = new Problems();
    GatewayRuntime rt = compiler.compile(compiler.load(config, problems), shared, problems);
    assertThat(problems.sorted()).isEmpty();
    assertThat(rt.routes()).filteredOn(r -> r.startsWith("GET /v1/warehouses/*/items/*/quantity "))
        .singleElement().asString().doesNotContain("[google.api.http]");
  }

  @Test
  void protoRulesThatMatchTheSameRequestsAreAWarningAtTheProtoLineAndTheFirstIsServed() {
    GrpcFixture.write(tmp.resolve("proto"), "clash.proto", """
        syntax = "proto3";
        package clash.v1;
        import "google/api/annotations.proto";
        service Clash {
          rpc A(Req) returns (Req) { option (google.api.http) = { get: "/v1/{id}" }; }
          rpc B(Req) returns (Req) { option (google.api.http) = { get: "/v1/{name}" }; }
        }
        message Req { string id = 1; string name = 2; }
        """);
    GatewayRuntime rt = compiled("""
        ficus: mapping/v1
        backend:
          grpc:
            target: 127.0.0.1:1
            proto: ../proto/clash.proto
        """);
    assertThat(rt.warnings()).extracting(ConfigProblem::toString).containsExactly("../proto/clash.proto:6:3: the "
        + "http rule of clash.v1.Clash.B (GET /v1/{name}) matches the same requests as the http rule of "
        + "clash.v1.Clash.A at ../proto/clash.proto:5:3; only the first is served (a mapping operation can take the "
        + "path over)");
    assertThat(rt.routes()).singleElement().asString().contains("clash.v1.Clash/A");
  }

  @Test
  void statusOverridesMustNameGrpcCodes() {
    assertThat(problems(HEAD + """
        operations:
          - route: GET /api/items/{name=warehouses/*/items/*}
            call: GetItem
            faults:
              NOT_FOND: 410
        """)).containsExactly("m.yaml:10:7: 'NOT_FOND' is not a gRPC status code; did you mean 'NOT_FOUND'?");
  }

  @Test
  void selectTakesOneTopLevelFieldAndRenameIsRefused() {
    assertThat(problems(HEAD + """
        operations:
          - route: GET /api/items/{name=warehouses/*/items/*}
            call: GetItem
            response:
              select: price.units
              rename: {title: label}
        """)).containsExactly(
            "m.yaml:10:7: 'select' takes one top-level field of inventory.v1.Item for a gRPC reply",
            "m.yaml:11:16: 'rename' is not available for gRPC backends; use json.originalNames or select");
  }

  @Test
  void backendSettingsAreChecked() {
    assertThat(problems("""
        ficus: mapping/v1
        backend:
          grpc:
            target: localhost
            proto: ../proto/inventory.proto
        """)).containsExactly("m.yaml:4:5: 'localhost' is not host:port (port 1..65535)");
    assertThat(problems("""
        ficus: mapping/v1
        backend:
          grpc:
            target: 127.0.0.1:1
            proto: ../proto/inventory.proto
            services: [inventory.v1.Inventry]
            metadata:
              forward: [grpc-timeout, x-ok]
        """)).containsExactly(
            "m.yaml:6:5: service 'inventory.v1.Inventry' is not defined; did you mean 'inventory.v1.Inventory'?",
            "m.yaml:8:7: 'grpc-timeout' is reserved by HTTP/2 or gRPC and cannot be passed on");
  }

  @Test
  void aMissingProtoIsReportedAtItsKey() {
    assertThat(problems("""
        ficus: mapping/v1
        backend:
          grpc:
            target: 127.0.0.1:1
            proto: ../proto/nope.proto
        """)).containsExactly("m.yaml:5:5: proto file '../proto/nope.proto' does not exist (relative to the mapping "
            + "file's folder)");
  }

  @Test
  void aMisspeltProtoSuggestsTheNearestFile() {
    assertThat(problems("""
        ficus: mapping/v1
        backend:
          grpc:
            target: 127.0.0.1:1
            proto: ../proto/inventroy.proto
        """)).containsExactly("m.yaml:5:5: proto file '../proto/inventroy.proto' does not exist (relative to the "
            + "mapping file's folder); did you mean '../proto/inventory.proto'?");
  }

  @Test
  void aMisspeltDescriptorSetSuggestsTheNearestFile() {
    GrpcFixture.write(config, "inventory.pb", "");
    assertThat(problems("""
        ficus: mapping/v1
        backend:
          grpc:
            target: 127.0.0.1:1
            descriptorSet: inventroy.pb
        """)).containsExactly("m.yaml:5:5: descriptor set 'inventroy.pb' does not exist (relative to the "
            + "mapping file's folder); did you mean 'inventory.pb'?");
  }

  @Test
  void aMappingWithNothingToServeIsAProblem() {
    assertThat(problems("""
        ficus: mapping/v1
        backend:
          grpc:
            target: 127.0.0.1:1
            proto: ../proto/inventory.proto
            httpRules: false
        """)).singleElement().asString().contains("nothing to serve");
  }

  @Test
  void theLoaderWantsExactlyOneBackendAndOneDescriptorSource() {
    assertThat(problems("""
        ficus: mapping/v1
        backend:
          soap: {wsdl: x.wsdl}
          grpc: {target: 127.0.0.1:1, reflection: true}
        """)).contains("m.yaml:4:3: 'backend' has both 'soap' and 'grpc'; a mapping file has one backend, "
            + "so put each in its own file");
    assertThat(problems("""
        ficus: mapping/v1
        backend:
          grpc:
            target: 127.0.0.1:1
        """)).singleElement().asString().startsWith("m.yaml:4:5: 'grpc' needs a descriptor source");
    assertThat(problems("""
        ficus: mapping/v1
        backend:
          grpc:
            target: 127.0.0.1:1
            proto: ../proto/inventory.proto
            reflection: true
        """)).contains("m.yaml:6:5: 'grpc' takes one descriptor source, not proto and reflection");
  }
}
