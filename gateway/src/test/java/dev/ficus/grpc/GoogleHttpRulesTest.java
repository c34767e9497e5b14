package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.ficus.config.ConfigProblem;
import dev.ficus.server.GatewayServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Google's own {@code google.api.http} rules, served: Firestore, Pub/Sub, IAM, Cloud Tasks and
 * long-running operations loaded as .proto text from a {@code protoc -I} root (which holds copies
 * of the bundled {@code google/*} files), in front of a grpc-java server built from the same
 * descriptors ({@link DynamicGrpcServer}) that records every request message it gets.
 */
class GoogleHttpRulesTest {
  @TempDir
  static Path tmp;
  static Path protos;
  static DynamicGrpcServer backend;
  Path config;
  GatewayServer gateway;

  /** A proto of ours beside Google's, with two rules that cannot be served and one that can. */
  private static final String ODD_PROTO = """
        syntax = "proto3";
        package odd.v1;
        import "google/api/annotations.proto";
        import "google/longrunning/operations.proto";
        service Odd {
          rpc Split(google.longrunning.GetOperationRequest) returns (google.longrunning.Operation) {
            option (google.api.http) = { get: "/v1/{name=**}/and/{filter=**}" };
          }
          rpc NoField(google.longrunning.GetOperationRequest) returns (google.longrunning.Operation) {
            option (google.api.http) = { post: "/v1/{name=odd/*}" body: "nope" };
          }
          rpc Fine(google.longrunning.GetOperationRequest) returns (google.longrunning.Operation) {
            option (google.api.http) = { get: "/v1/{name=odd/*}" };
          }
        }
        """;

  @BeforeAll
  static void start() throws Exception {
    protos = GoogleProtos.extract(Files.createDirectories(tmp.resolve("protos")));
    GrpcFixture.write(protos, "odd.proto", ODD_PROTO);
    List<ServiceDescriptor> services = new ArrayList<>();
    for (String f : concat(GoogleProtos.FILES, "odd.proto")) {
      services.addAll(ProtoTextLoader.load(protos.resolve(f), List.of(protos), protos).services());
    }
    backend = new DynamicGrpcServer(services, GoogleHttpRulesTest::reply);
  }

  private static List<String> concat(List<String> files, String one) {
    List<String> all = new ArrayList<>(files);
    all.add(one);
    return all;
  }

  /** Firestore's Listen answers each request with the target change it asks for; the rest answer empty. */
  private static DynamicMessage reply(MethodDescriptor m, DynamicMessage request) {
    if (!m.getName().equals("Listen")) {
      return DynamicGrpcServer.EMPTY.apply(m, request);
    }
    try {
      String json = JsonFormat.printer().omittingInsignificantWhitespace().print(request);
      String change = json.contains("\"addTarget\"")
          ? "{\"targetChangeType\":\"ADD\",\"targetIds\":[" + json.replaceAll(".*\"targetId\":(\\d+).*", "$1") + "]}"
          : "{\"targetChangeType\":\"REMOVE\",\"targetIds\":[" + json.replaceAll(".*\"removeTarget\":(\\d+).*", "$1")
              + "]}";
      DynamicMessage.Builder b = DynamicMessage.newBuilder(m.getOutputType());
      JsonFormat.parser().merge("{\"targetChange\":" + change + "}", b);
      return b.build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() throws InterruptedException {
    backend.close();
  }

  @AfterEach
  void stopGateway() {
    if (gateway != null) {
      gateway.close();
    }
    backend.drain();
  }

  /** A new configuration folder with a mapping of {@code proto} (relative to the protoc -I root). */
  private void mapping(String name, String proto, String extra) throws Exception {
    config = Files.createDirectories(tmp.resolve("config-" + System.nanoTime()));
    also(name, proto, extra);
  }

  /** One more mapping in the configuration folder, with extra keys for the backend. */
  private void also(String name, String proto, String extra) {
    GrpcFixture.write(config, name, """
        ficus: mapping/v1
        backend:
          grpc:
            target: %s
            proto: ../protos/%s
            protoPath: ../protos
        %s""".formatted(backend.target(), proto, extra.indent(4)));
  }

  private HttpResponse<String> post(String path, String json) {
    return GrpcFixture.call(gateway, "POST", path, json);
  }

  @Test
  void theCustomVerbIsPartOfTheMatchSoGetIamPolicyOnATopicReachesIamNotPublish() throws Exception {
    mapping("pubsub.yaml", "google/pubsub/v1/pubsub.proto", "");
    also("iam.yaml", "google/iam/v1/iam_policy.proto", "");
    gateway = GrpcFixture.start(config);

    HttpResponse<String> iam = post("/v1/projects/p/topics/t:getIamPolicy", "{}");
    assertThat(iam.statusCode()).as(iam.body()).isEqualTo(200);
    assertThat(backend.next()).isEqualTo("IAMPolicy/GetIamPolicy {\"resource\":\"projects/p/topics/t\"}");

    HttpResponse<String> publish = post("/v1/projects/p/topics/t:publish", "{\"messages\":[{\"data\":\"aGk=\"}]}");
    assertThat(publish.statusCode()).as(publish.body()).isEqualTo(200);
    assertThat(backend.next())
        .isEqualTo("Publisher/Publish {\"topic\":\"projects/p/topics/t\",\"messages\":[{\"data\":\"aGk=\"}]}");

    HttpResponse<String> other = post("/v1/projects/p/topics/t:nothing", "{}");
    assertThat(other.statusCode()).as("a verb nobody serves: only GetTopic & co. (not POST) take 't:nothing' "
        + "as a topic id").isEqualTo(405);
    assertThat(backend.drain()).isEmpty();
  }

  @Test
  void aDoubleStarFollowedByMoreSegmentsIsServedForFirestore() throws Exception {
    mapping("firestore.yaml", "google/firestore/v1/firestore.proto", "");
    gateway = GrpcFixture.start(config);
    String db = "/v1/projects/p/databases/d/documents";

    assertThat(GrpcFixture.get(gateway, db + "/rooms/r1").statusCode()).isEqualTo(200);
    assertThat(backend.next()).as("GetDocument, declared before ListDocuments' overlapping '**' binding")
        .isEqualTo("Firestore/GetDocument {\"name\":\"projects/p/databases/d/documents/rooms/r1\"}");

    assertThat(GrpcFixture.get(gateway, db + "/rooms").statusCode()).isEqualTo(200);
    assertThat(backend.next()).as("the additional binding without '**'").isEqualTo("Firestore/ListDocuments "
        + "{\"parent\":\"projects/p/databases/d/documents\",\"collectionId\":\"rooms\"}");

    HttpResponse<String> created = post(db + "/rooms/r1/messages?documentId=m1", "{\"fields\":{\"text\":"
        + "{\"stringValue\":\"hi\"}}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    assertThat(backend.next()).as("POST .../documents/** /{collection_id}: past the verb routes on "
        + ".../documents/*/**").isEqualTo("Firestore/CreateDocument {\"parent\":\"projects/p/databases/d/documents/"
        + "rooms/r1\",\"collectionId\":\"messages\",\"documentId\":\"m1\",\"document\":{\"fields\":{\"text\":"
        + "{\"stringValue\":\"hi\"}}}}");

    assertThat(post(db + "/rooms/r1/messages/m1/replies", "{}").statusCode()).isEqualTo(200);
    assertThat(backend.next()).as("'**' takes as many segments as the path has").isEqualTo("Firestore/CreateDocument "
        + "{\"parent\":\"projects/p/databases/d/documents/rooms/r1/messages/m1\",\"collectionId\":\"replies\","
        + "\"document\":{}}");

    HttpResponse<String> query = post(db + "/rooms/r1:runQuery", "{}");
    assertThat(query.statusCode()).as(query.body()).isEqualTo(200);
    assertThat(backend.next()).isEqualTo("Firestore/RunQuery {\"parent\":\"projects/p/databases/d/documents/"
        + "rooms/r1\"}");

    assertThat(GrpcFixture.call(gateway, "DELETE", db + "/rooms/r1/messages/m1", null).statusCode()).isEqualTo(200);
    assertThat(backend.next()).isEqualTo("Firestore/DeleteDocument {\"name\":\"projects/p/databases/d/documents/"
        + "rooms/r1/messages/m1\"}");
  }

  @Test
  void aMappingOperationOfFixedDepthReachesListDocumentsWhereGetDocumentsTemplateOverlapsIt() throws Exception {
    mapping("firestore.yaml", "google/firestore/v1/firestore.proto", "");
    Files.writeString(config.resolve("firestore.yaml"), Files.readString(config.resolve("firestore.yaml")) + """
        operations:
          - route: GET /v1/{parent=projects/*/databases/*/documents/*/*}/{collection_id}
            call: ListDocuments
        """);
    gateway = GrpcFixture.start(config);

    assertThat(GrpcFixture.get(gateway, "/v1/projects/p/databases/d/documents/rooms/r1/messages").statusCode())
        .isEqualTo(200);
    assertThat(backend.next()).isEqualTo("Firestore/ListDocuments {\"parent\":\"projects/p/databases/d/documents/"
        + "rooms/r1\",\"collectionId\":\"messages\"}");
    assertThat(GrpcFixture.get(gateway, "/v1/projects/p/databases/d/documents/rooms/r1").statusCode()).isEqualTo(200);
    assertThat(backend.next()).isEqualTo("Firestore/GetDocument {\"name\":\"projects/p/databases/d/documents/"
        + "rooms/r1\"}");
  }

  @Test
  void aBidirectionalMethodBoundToPostTakesNdjsonAndAnswersNdjson() throws Exception {
    mapping("firestore.yaml", "google/firestore/v1/firestore.proto", "");
    gateway = GrpcFixture.start(config);
    String body = """
        {"addTarget":{"targetId":7,"documents":{"documents":["projects/p/databases/d/documents/rooms/r1"]}}}
        {"removeTarget":7}
        """;
    HttpResponse<String> r = GrpcFixture.send(GrpcFixture.request(gateway,
        "/v1/projects/p/databases/d/documents:listen").header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body)));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    assertThat(r.body().split("\n")).containsExactly(
        "{\"targetChange\":{\"targetChangeType\":\"ADD\",\"targetIds\":[7]}}",
        "{\"targetChange\":{\"targetChangeType\":\"REMOVE\",\"targetIds\":[7]}}");
    assertThat(backend.drain()).containsExactly(
        "Firestore/Listen {\"database\":\"projects/p/databases/d\",\"addTarget\":{\"documents\":{\"documents\":"
            + "[\"projects/p/databases/d/documents/rooms/r1\"]},\"targetId\":7}}",
        "Firestore/Listen {\"database\":\"projects/p/databases/d\",\"removeTarget\":7}");
  }

  @Test
  void withHttpRulesOffAndRpcRoutesOnEveryAnnotatedMethodIsServedOnItsRpcRoute() throws Exception {
    mapping("tasks.yaml", "google/cloud/tasks/v2/cloudtasks.proto", """
        httpRules: false
        rpcRoutes: true
        """);
    gateway = GrpcFixture.start(config);

    HttpResponse<String> r = post("/google.cloud.tasks.v2.CloudTasks/GetQueue",
        "{\"name\":\"projects/p/locations/l/queues/q\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(backend.next()).isEqualTo("CloudTasks/GetQueue {\"name\":\"projects/p/locations/l/queues/q\"}");
    assertThat(GrpcFixture.get(gateway, "/v2/projects/p/locations/l/queues/q").statusCode())
        .as("the http rule is off").isEqualTo(404);
    assertThat(gateway.runtime().routes()).hasSize(backend.methodsOf("google.cloud.tasks.v2.CloudTasks"));
  }

  @Test
  void aRuleTheGatewayCannotServeIsAWarningAndTheOtherMethodsAreServed() throws Exception {
    mapping("ops.yaml", "google/longrunning/operations.proto", "");
    also("odd.yaml", "odd.proto", "");
    gateway = GrpcFixture.start(config);

    assertThat(gateway.runtime().warnings()).extracting(ConfigProblem::toString).satisfiesExactly(
        w -> assertThat(w).startsWith("../protos/odd.proto:6:3: the http rule of odd.v1.Odd.Split: path "
            + "'/v1/{name=**}/and/{filter=**}': '**' appears more than once").endsWith("; this rule is not served, "
            + "the other methods are"),
        w -> assertThat(w).startsWith("../protos/odd.proto:9:3: the http rule of odd.v1.Odd.NoField: body 'nope' is "
            + "not a field of google.longrunning.GetOperationRequest"));
    assertThat(GrpcFixture.get(gateway, "/v1/odd/o1").statusCode()).as("the same proto's other method")
        .isEqualTo(200);
    assertThat(backend.next()).isEqualTo("Odd/Fine {\"name\":\"odd/o1\"}");
    assertThat(GrpcFixture.get(gateway, "/v1/operations/o1").statusCode()).isEqualTo(200);
    assertThat(backend.next()).isEqualTo("Operations/GetOperation {\"name\":\"operations/o1\"}");
  }

  @Test
  void anIncludeRootWithChangedCopiesOfBundledProtosSaysWhichCopyWins() throws Exception {
    Path changed = Files.createDirectories(tmp.resolve("changed"));
    GoogleProtos.extract(changed);
    for (String f : List.of("google/api/http.proto", "google/longrunning/operations.proto")) {
      Files.writeString(changed.resolve(f), Files.readString(changed.resolve(f)) + "\n// a local edit\n");
    }
    config = Files.createDirectories(tmp.resolve("config-changed"));
    GrpcFixture.write(config, "ops.yaml", """
        ficus: mapping/v1
        backend:
          grpc:
            target: %s
            proto: ../changed/google/longrunning/operations.proto
            protoPath: ../changed
        """.formatted(backend.target()));
    gateway = GrpcFixture.start(config);

    assertThat(gateway.runtime().warnings()).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
        "ops.yaml:6:5: '../changed/google/api/http.proto' differs from the google/api/http.proto that Ficus "
            + "bundles; the bundled one is used (its compiled descriptor is the one the JSON mapping knows)",
        "ops.yaml:6:5: '../changed/google/longrunning/operations.proto' differs from the "
            + "google/longrunning/operations.proto that Ficus bundles; this copy is used");
    HttpResponse<String> r = post("/v1/operations/o1:cancel", "{}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(backend.next()).isEqualTo("Operations/CancelOperation {\"name\":\"operations/o1\"}");
  }
}
