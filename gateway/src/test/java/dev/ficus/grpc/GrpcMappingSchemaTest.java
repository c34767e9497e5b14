package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.ficus.config.ConfigLoader;
import dev.ficus.config.Problems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** docs/schema/mapping.schema.json and the loader agree on gRPC mapping files. */
class GrpcMappingSchemaTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static Stream<Arguments> documents() {
    String head = "ficus: mapping/v1\nbackend:\n  grpc:\n    target: 127.0.0.1:7102\n";
    return Stream.of(
        Arguments.of("proto alone, no operations", true, head + "    proto: ../proto/inventory.proto\n"),
        Arguments.of("every key", true, head + """
                proto: ../proto/inventory.proto
                protoPath: [../proto, ../vendor]
                services: inventory.v1.Inventory
                httpRules: false
                rpcRoutes: true
                timeout: 2s
                tls: false
                keepAlive: 1m
                metadata: {forward: [x-tenant, "x-acme-*"], return: x-version}
                json: {emitDefaults: true, enumsAsNumbers: true, originalNames: true}
                debug: {redact: [x-pin, "x-internal-*"]}
            operations:
              - route: GET /api/items/{name=warehouses/*/items/*}:stock
                call: inventory.v1.Inventory/GetStock
                timeout: 1s
                request: {name: path.name, x: query.x, y: header.Y}
                response: {select: on_hand}
                faults: {NOT_FOUND: 410}
            """),
        Arguments.of("descriptor set", true, head + "    descriptorSet: inventory.pb\n"),
        Arguments.of("reflection", true, head + "    reflection: true\n"),
        Arguments.of("empty operations", true, head + "    reflection: true\noperations: []\n"),
        Arguments.of("no descriptor source", false, head),
        Arguments.of("reflection false only", false, head + "    reflection: false\n"),
        Arguments.of("two descriptor sources", false, head + "    proto: a.proto\n    descriptorSet: a.pb\n"),
        Arguments.of("no target", false, "ficus: mapping/v1\nbackend: {grpc: {proto: a.proto}}\n"),
        Arguments.of("soap and grpc", false,
            "ficus: mapping/v1\nbackend: {soap: {wsdl: a.wsdl}, grpc: {target: a:1, proto: a.proto}}\n"
                + "operations: [{route: GET /x, call: x}]\n"),
        Arguments.of("misspelled grpc key", false, head + "    proto: a.proto\n    timout: 2s\n"),
        Arguments.of("unknown json option", false, head + "    proto: a.proto\n    json: {compact: true}\n"),
        Arguments.of("debug on", true, head + "    proto: ../proto/inventory.proto\n    debug: true\n"),
        Arguments.of("debug off", true, head + "    proto: ../proto/inventory.proto\n    debug: false\n"),
        Arguments.of("unknown debug key", false, head + "    proto: a.proto\n    debug: {log: true}\n"),
        Arguments.of("debug as a word", false, head + "    proto: a.proto\n    debug: request\n"),
        Arguments.of("unknown metadata list", false, head + "    proto: a.proto\n    metadata: {send: [x]}\n"),
        Arguments.of("soap still needs operations", false, "ficus: mapping/v1\nbackend: {soap: {wsdl: a.wsdl}}\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documents")
  void theSchemaAndTheLoaderGiveTheSameVerdict(String name, boolean accepted, String text, @TempDir Path dir)
      throws IOException {
    Files.writeString(dir.resolve("m.yaml"), text, StandardCharsets.UTF_8);
    Problems problems = new Problems();
    new ConfigLoader(v -> null).load(dir, problems);
    assertThat(problems.isEmpty()).as("the loader accepts it: %s", problems.sorted()).isEqualTo(accepted);

    Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(Files.readString(GrpcFixture.repository().resolve("docs/schema/mapping.schema.json")),
            InputFormat.JSON);
    JsonNode doc = YAML.readTree(text);
    var errors = schema.validate(doc.toString(), InputFormat.JSON);
    assertThat(errors.isEmpty()).as("the schema accepts it: %s", errors).isEqualTo(accepted);
  }
}
