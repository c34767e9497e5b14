package dev.ficus.grpc;

import static dev.ficus.grpc.GrpcFixture.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.ficus.config.ConfigException;
import dev.ficus.samples.grpc.InventorySample;
import dev.ficus.samples.grpc.inventory.v1.InventoryOuterClass;
import dev.ficus.server.GatewayServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same routes from the three descriptor sources: .proto text (elsewhere), a descriptor set, server reflection. */
class DescriptorSourcesTest {
  @TempDir
  Path tmp;

  /** What protoc --include_imports --descriptor_set_out writes, built from the sample's compiled descriptors. */
  static void writeDescriptorSet(Path file, Predicate<FileDescriptor> keep) throws IOException {
    Set<FileDescriptor> all = new LinkedHashSet<>();
    collect(InventoryOuterClass.getDescriptor(), all);
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    all.stream().filter(keep).forEach(f -> set.addFile(f.toProto()));
    Files.write(file, set.build().toByteArray());
  }

  private static void collect(FileDescriptor f, Set<FileDescriptor> out) {
    f.getDependencies().forEach(d -> collect(d, out));
    out.add(f);
  }

  private void assertServes(GatewayServer gw) {
    HttpResponse<String> r = get(gw, "/v1/warehouses/main/items/hammer");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("\"updateTime\":\"2026-01-15T10:00:00Z\"", "\"@type\":\"type.googleapis.com/inventory.v1.Supplier\"");
    assertThat(get(gw, "/v1/warehouses/main/items/hammer/quantity").body()).isEqualTo("\"10\"");
  }

  @Test
  void aDescriptorSetFileServesTheAnnotatedRoutes() throws IOException {
    Path config = GrpcFixture.workspace(tmp);
    writeDescriptorSet(config.resolve("inventory.pb"), f -> true);
    try (InventorySample sample = InventorySample.start("127.0.0.1", 0)) {
      GrpcFixture.write(config, "inventory.yaml", """
          ficus: mapping/v1
          backend:
            grpc:
              target: %s
              descriptorSet: inventory.pb
          """.formatted(sample.target()));
      try (GatewayServer gw = GrpcFixture.start(config)) {
        assertServes(gw);
      }
    }
  }

  @Test
  void aDescriptorSetWithoutItsImportsSaysHowToBuildIt() throws IOException {
    Path config = GrpcFixture.workspace(tmp);
    writeDescriptorSet(config.resolve("thin.pb"), f -> !f.getName().equals("common/money.proto"));
    GrpcFixture.write(config, "inventory.yaml", """
        ficus: mapping/v1
        backend:
          grpc:
            target: 127.0.0.1:1
            descriptorSet: thin.pb
        """);
    assertThatThrownBy(() -> GrpcFixture.start(config)).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.problems()).singleElement().asString().isEqualTo("inventory.yaml:5:5: descriptor set thin.pb "
            + "lacks 'common/money.proto'; build it with protoc --include_imports"));
  }

  @Test
  void notADescriptorSetIsReported() {
    Path config = GrpcFixture.workspace(tmp);
    GrpcFixture.write(config, "junk.pb", "this is text, not protobuf");
    GrpcFixture.write(config, "inventory.yaml", """
        ficus: mapping/v1
        backend:
          grpc:
            target: 127.0.0.1:1
            descriptorSet: junk.pb
        """);
    assertThatThrownBy(() -> GrpcFixture.start(config)).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.problems()).singleElement().asString().contains("'junk.pb' is not a descriptor set"));
  }

  private void reflectionServes(InventorySample.Reflection reflection) {
    Path config = GrpcFixture.workspace(tmp);
    try (InventorySample sample = InventorySample.start("127.0.0.1", 0, reflection)) {
      GrpcFixture.write(config, "inventory.yaml", """
          ficus: mapping/v1
          backend:
            grpc:
              target: %s
              reflection: true
          """.formatted(sample.target()));
      try (GatewayServer gw = GrpcFixture.start(config)) {
        assertServes(gw);
        assertThat(gw.runtime().routes()).noneMatch(r -> r.contains("ServerReflection"));
      }
    }
  }

  @Test
  void serverReflectionV1ServesTheAnnotatedRoutes() {
    reflectionServes(InventorySample.Reflection.V1_AND_V1ALPHA);
  }

  @Test
  void serverReflectionFallsBackToV1alpha() {
    reflectionServes(InventorySample.Reflection.V1ALPHA_ONLY);
  }

  @Test
  void aServerWithoutReflectionIsAProblemNamingTheAlternatives() {
    Path config = GrpcFixture.workspace(tmp);
    try (InventorySample sample = InventorySample.start("127.0.0.1", 0, InventorySample.Reflection.NONE)) {
      GrpcFixture.write(config, "inventory.yaml", """
          ficus: mapping/v1
          backend:
            grpc:
              target: %s
              reflection: true
          """.formatted(sample.target()));
      assertThatThrownBy(() -> GrpcFixture.start(config)).isInstanceOfSatisfying(ConfigException.class,
          e -> assertThat(e.problems()).singleElement().asString().isEqualTo("inventory.yaml:5:5: the server at "
              + sample.target() + " has no server reflection (neither grpc.reflection.v1 nor v1alpha); turn it on or "
              + "use 'proto:' or 'descriptorSet:'"));
    }
  }

  @Test
  void reflectionOfAnUnknownServiceIsReported() {
    Path config = GrpcFixture.workspace(tmp);
    try (InventorySample sample = InventorySample.start("127.0.0.1", 0)) {
      GrpcFixture.write(config, "inventory.yaml", """
          ficus: mapping/v1
          backend:
            grpc:
              target: %s
              reflection: true
              services: [inventory.v1.Warehouse]
          """.formatted(sample.target()));
      assertThatThrownBy(() -> GrpcFixture.start(config)).isInstanceOfSatisfying(ConfigException.class,
          e -> assertThat(e.problems()).singleElement().asString()
              .contains("does not know service 'inventory.v1.Warehouse'"));
    }
  }
}
