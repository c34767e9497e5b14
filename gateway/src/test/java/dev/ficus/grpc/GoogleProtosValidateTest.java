package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.ficus.it.FicusCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance of issue 14 for Google's protos: {@code ficus validate} on a configuration that
 * names Firestore, Pub/Sub, Cloud Tasks, long-running operations and locations — as .proto text
 * from a {@code protoc -I} root, and as descriptor sets built from the same files — accepts it
 * and prints one route per {@code google.api.http} rule and additional binding, counted from the
 * descriptors. Nothing is called: validate only compiles.
 */
class GoogleProtosValidateTest {
  /** The five protos, each with the services its own file defines. */
  private static final List<String> FILES = List.of(
      "google/firestore/v1/firestore.proto",
      "google/pubsub/v1/pubsub.proto",
      "google/cloud/tasks/v2/cloudtasks.proto",
      "google/longrunning/operations.proto",
      "google/cloud/location/locations.proto");

  @TempDir
  static Path tmp;
  static Path protos;
  /** "GET /v1/{name=...} -> google.firestore.v1.Firestore/GetDocument", one per rule and binding. */
  static List<String> bindings = new ArrayList<>();
  static List<List<String>> servicesByFile = new ArrayList<>();

  @BeforeAll
  static void readDescriptors() throws Exception {
    protos = GoogleProtos.extract(Files.createDirectories(tmp.resolve("protos")));
    for (String f : FILES) {
      List<String> names = new ArrayList<>();
      for (ServiceDescriptor s : ProtoTextLoader.load(protos.resolve(f), List.of(protos), protos).services()) {
        names.add(s.getFullName());
        for (MethodDescriptor m : s.getMethods()) {
          if (m.getOptions().hasExtension(AnnotationsProto.http)) {
            HttpRule rule = m.getOptions().getExtension(AnnotationsProto.http);
            bindings.add(binding(rule, m));
            rule.getAdditionalBindingsList().forEach(extra -> bindings.add(binding(extra, m)));
          }
        }
      }
      servicesByFile.add(names);
    }
  }

  private static String binding(HttpRule r, MethodDescriptor m) {
    String route = switch (r.getPatternCase()) {
      case GET -> "GET " + r.getGet();
      case PUT -> "PUT " + r.getPut();
      case POST -> "POST " + r.getPost();
      case DELETE -> "DELETE " + r.getDelete();
      case PATCH -> "PATCH " + r.getPatch();
      case CUSTOM -> r.getCustom().getKind().toUpperCase(Locale.ROOT) + " " + r.getCustom().getPath();
      default -> throw new IllegalStateException("no pattern in " + m.getFullName());
    };
    return route + " -> " + m.getService().getFullName() + "/" + m.getName();
  }

  /** Writes one mapping per proto; {@code source} gives the backend's descriptor key for file i. */
  private static Path config(String name, java.util.function.IntFunction<String> source) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    for (int i = 0; i < FILES.size(); i++) {
      GrpcFixture.write(dir, "m" + i + ".yaml", """
          ficus: mapping/v1
          backend:
            grpc:
              target: 127.0.0.1:1
          %s
              services: [%s]
          """.formatted(source.apply(i).indent(4).stripTrailing(), String.join(", ", servicesByFile.get(i))));
    }
    return dir;
  }

  /** The route lines, each reduced to "METHOD TEMPLATE -> Service/Method". */
  private static List<String> validate(Path dir) {
    FicusCli.Run run = FicusCli.ficus("validate", dir.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).as("no warnings either").isEmpty();
    assertThat(run.out()).startsWith(dir + ": OK, " + bindings.size() + " route(s)");
    return run.out().lines().filter(l -> l.endsWith("[google.api.http]")).map(l -> {
      // "  GET /v1/routerpath -> /v1/{template} -> pkg.Service/Method (gRPC...) at ... [google.api.http]"
      String[] parts = l.strip().split(" -> ");
      return parts[0].substring(0, parts[0].indexOf(' ')) + " " + parts[1] + " -> "
          + parts[2].substring(0, parts[2].indexOf(' '));
    }).collect(Collectors.toList());
  }

  @Test
  void validatePrintsOneRoutePerRuleAndAdditionalBindingOfGoogleProtosAsText() throws Exception {
    Path dir = config("as-text", i -> "proto: ../protos/" + FILES.get(i) + "\nprotoPath: ../protos");

    assertThat(validate(dir)).containsExactlyInAnyOrderElementsOf(bindings);
  }

  @Test
  void validatePrintsOneRoutePerRuleAndAdditionalBindingOfGoogleProtosAsDescriptorSets() throws Exception {
    for (int i = 0; i < FILES.size(); i++) {
      Files.write(tmp.resolve("set" + i + ".pb"), GoogleProtos.descriptorSet(protos, FILES.get(i)));
    }
    Path dir = config("as-sets", i -> "descriptorSet: ../set" + i + ".pb");

    assertThat(validate(dir)).containsExactlyInAnyOrderElementsOf(bindings);
  }

  /** The service of each google.api.http route line that {@code validate} prints for {@code dir}. */
  private static List<String> servicesServed(Path dir) {
    FicusCli.Run run = FicusCli.ficus("validate", dir.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run.out().lines().filter(l -> l.endsWith("[google.api.http]"))
        .map(l -> l.strip().split(" -> ")[2].split("/")[0]).distinct().sorted().toList();
  }

  private static Path pubsub(String name, String source, String services) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    GrpcFixture.write(dir, "pubsub.yaml", """
        ficus: mapping/v1
        backend:
          grpc:
            target: 127.0.0.1:1
        %s
        %s""".formatted(source.indent(4).stripTrailing(), services.isEmpty() ? "" : "    services: [" + services + "]\n"));
    return dir;
  }

  @Test
  void aDescriptorSetServesByDefaultWhatItsProtoTextServesAndEitherServesAnImportedServiceNamed() throws Exception {
    // pubsub.proto imports schema.proto, whose SchemaService is not Pub/Sub's own.
    Files.write(tmp.resolve("pubsub.pb"), GoogleProtos.descriptorSet(protos, "google/pubsub/v1/pubsub.proto"));
    String text = "proto: ../protos/google/pubsub/v1/pubsub.proto\nprotoPath: ../protos";
    String set = "descriptorSet: ../pubsub.pb";

    assertThat(servicesServed(pubsub("pubsub-text", text, "")))
        .containsExactly("google.pubsub.v1.Publisher", "google.pubsub.v1.Subscriber");
    assertThat(servicesServed(pubsub("pubsub-set", set, "")))
        .containsExactly("google.pubsub.v1.Publisher", "google.pubsub.v1.Subscriber");
    assertThat(servicesServed(pubsub("schema-text", text, "google.pubsub.v1.SchemaService")))
        .containsExactly("google.pubsub.v1.SchemaService");
    assertThat(servicesServed(pubsub("schema-set", set, "google.pubsub.v1.SchemaService")))
        .containsExactly("google.pubsub.v1.SchemaService");
  }
}
