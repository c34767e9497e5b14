package dev.ficus.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON Schemas in {@code docs/schema/} describe the same files that {@link ConfigLoader}
 * reads: the demo's files pass them, wrong documents fail them, and for a set of small
 * documents the schema and the loader give the same verdict. The schemas are read from the
 * repository, so an edit to them is tested as it is shipped.
 */
final class ConfigSchemasTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path REPO = repositoryRoot();
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final Schema GATEWAY = schema("gateway.schema.json");
  private static final Schema MAPPING = schema("mapping.schema.json");

  @Test
  void bothSchemasAreValidDraft202012Schemas() throws IOException {
    Schema meta = REGISTRY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
    for (String name : List.of("gateway.schema.json", "mapping.schema.json")) {
      String text = Files.readString(REPO.resolve("docs/schema").resolve(name), StandardCharsets.UTF_8);
      assertThat(meta.validate(text, InputFormat.JSON)).as(name).isEmpty();
    }
  }

  @Test
  void eachSchemaFixesTheFileKindTheLoaderExpects() throws IOException {
    assertThat(schemaNode("gateway.schema.json").at("/properties/ficus/const").asText())
        .isEqualTo(ConfigLoader.GATEWAY_KIND);
    assertThat(schemaNode("mapping.schema.json").at("/properties/ficus/const").asText())
        .isEqualTo(ConfigLoader.MAPPING_KIND);
  }

  @Test
  void theDemoHasOneGatewayFileAndAtLeastOneMappingFile() throws IOException {
    List<String> kinds = demoFiles().map(p -> read(p).path("ficus").asText()).toList();
    assertThat(kinds).containsOnlyOnce(ConfigLoader.GATEWAY_KIND).contains(ConfigLoader.MAPPING_KIND);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("demoFiles")
  void everyDemoFileMatchesTheSchemaOfItsKind(Path file) {
    JsonNode doc = read(file);
    Schema schema = schemaFor(doc);
    assertThat(schema).as("%s names a known file kind", file.getFileName()).isNotNull();
    assertThat(errors(schema, doc)).as(file.getFileName().toString()).isEmpty();
  }

  @Test
  void aMisspelledKeyIsRejectedWhereItIsWritten() {
    List<Error> errors = errors(MAPPING, yaml("""
        ficus: mapping/v1
        backend:
          soap:
            wsdl: ../wsdl/customers.wsdl
            timout: 5s
        operations:
          - route: GET /api/customers/{id}
            call: getCustomer
        """));
    assertThat(errors).extracting(e -> e.getInstanceLocation().toString()).containsExactly("/backend/soap");
    assertThat(errors.get(0).getMessage()).contains("timout");
  }

  @Test
  void aTimeoutWithoutUnitAndAStatusOutsideFourHundredsAndFiveHundredsAreRejected() {
    List<Error> errors = errors(MAPPING, yaml("""
        ficus: mapping/v1
        backend:
          soap:
            wsdl: ../wsdl/customers.wsdl
        operations:
          - route: GET /api/customers/{id}
            call: getCustomer
            timeout: 5
            faults:
              CustomerNotFound: 200
        """));
    assertThat(errors).extracting(e -> e.getInstanceLocation().toString())
        .contains("/operations/0/timeout", "/operations/0/faults/CustomerNotFound");
  }

  @Test
  void aGatewayFileIsNotAMappingFileAndTheOtherWayRound() {
    JsonNode gateway = yaml("ficus: gateway/v1\nlisten: 127.0.0.1:8080\n");
    JsonNode mapping = yaml("""
        ficus: mapping/v1
        backend: {soap: {wsdl: x.wsdl}}
        operations: [{route: GET /x, call: x}]
        """);
    assertThat(errors(GATEWAY, gateway)).isEmpty();
    assertThat(errors(MAPPING, gateway)).isNotEmpty();
    assertThat(errors(MAPPING, mapping)).isEmpty();
    assertThat(errors(GATEWAY, mapping)).isNotEmpty();
  }

  /** Small documents, each with whether the loader accepts it; the schema must agree. */
  static Stream<Arguments> documents() {
    String soap = "ficus: mapping/v1\nbackend: {soap: {wsdl: ../wsdl/x.wsdl}}\n";
    String op = "operations:\n  - route: GET /api/x/{id}\n    call: getX\n";
    return Stream.of(
        Arguments.of("minimal gateway", true, "ficus: gateway/v1\n"),
        Arguments.of("full gateway", true, """
            ficus: gateway/v1
            listen: "[::1]:0"
            limits: {maxBodySize: 512 KiB, maxResponseSize: 1048576}
            defaults: {timeout: 1500ms, unknownFields: ignore}
            """),
        Arguments.of("gateway with placeholders", true, """
            ficus: gateway/v1
            listen: ${FICUS_LISTEN:-127.0.0.1:8080}
            limits: {maxBodySize: "${MAX_BODY:-2MB}"}
            defaults: {timeout: "${TIMEOUT:-5s}"}
            """),
        Arguments.of("listen without host", false, "ficus: gateway/v1\nlisten: 8080\n"),
        Arguments.of("listen port out of range", false, "ficus: gateway/v1\nlisten: 127.0.0.1:70000\n"),
        Arguments.of("timeout without unit", false, "ficus: gateway/v1\ndefaults: {timeout: 5}\n"),
        Arguments.of("zero timeout", false, "ficus: gateway/v1\ndefaults: {timeout: 0s}\n"),
        Arguments.of("timeout with a space", false, "ficus: gateway/v1\ndefaults: {timeout: 5 s}\n"),
        Arguments.of("size that is not a size", false, "ficus: gateway/v1\nlimits: {maxBodySize: lots}\n"),
        Arguments.of("unknown gateway key", false, "ficus: gateway/v1\nlimit: {maxBodySize: 1MB}\n"),
        Arguments.of("unknown unknownFields policy", false, "ficus: gateway/v1\ndefaults: {unknownFields: warn}\n"),
        Arguments.of("unknown file kind", false, "ficus: mapping/v2\n"),
        Arguments.of("minimal mapping", true, soap + op),
        Arguments.of("full mapping", true, """
            ficus: mapping/v1
            backend:
              soap:
                wsdl: ../wsdl/x.wsdl
                service: XService
                port: XPort
                endpoint: ${X_URL:-http://127.0.0.1:7101/ws/x}
                timeout: 2m
                faultDetail: pass
                headers:
                  authHeader: {token: "${TOKEN:-secret}"}
            options: {unknownFields: reject, preciseNumbersAsStrings: true}
            operations:
              - route: POST /api/x/{id}
                call: updateX
                timeout: 250ms
                request:
                  .: body
                  x.id: path.id
                  x.page: query.page
                  x.trace: header.X-Trace-Id
                  x.extra: body.more.extra
                response:
                  select: x
                  rename: {address.postalCode: zip}
                faults: {XNotFound: 404, Client: 400, Server: "503"}
                unknownFields: ignore
              - route: PUT /api/x
                call: putX
                request: body
            """),
        Arguments.of("mapping without operations", false, soap),
        Arguments.of("mapping with no operation", false, soap + "operations: []\n"),
        Arguments.of("mapping without backend", false, "ficus: mapping/v1\n" + op),
        Arguments.of("backend of another kind", false,
            "ficus: mapping/v1\nbackend: {rest: {url: http://x}}\n" + op),
        Arguments.of("soap without wsdl", false, "ficus: mapping/v1\nbackend: {soap: {port: P}}\n" + op),
        Arguments.of("misspelled soap key", false,
            "ficus: mapping/v1\nbackend: {soap: {wsdl: x.wsdl, timout: 5s}}\n" + op),
        Arguments.of("unknown faultDetail policy", false,
            "ficus: mapping/v1\nbackend: {soap: {wsdl: x.wsdl, faultDetail: show}}\n" + op),
        Arguments.of("admin with allowed hosts", true,
            "ficus: gateway/v1\nadmin: {listen: 127.0.0.1:9090, allowedHosts: [admin.internal, \"[::1]:9090\"]}\n"),
        Arguments.of("admin allowed host that is a URL", false,
            "ficus: gateway/v1\nadmin: {allowedHosts: [\"http://admin.internal/\"]}\n"),
        Arguments.of("operation without call", false, soap + "operations:\n  - route: GET /api/x\n"),
        Arguments.of("unknown method", false, soap + "operations:\n  - route: FETCH /api/x\n    call: getX\n"),
        Arguments.of("path without slash", false, soap + "operations:\n  - route: GET api/x\n    call: getX\n"),
        Arguments.of("unknown source", false, soap + op + "    request: {id: form.id}\n"),
        Arguments.of("number as source", false, soap + op + "    request: {id: 5}\n"),
        Arguments.of("request that is neither body nor a map", false, soap + op + "    request: bodies\n"),
        Arguments.of("bad element path", false, soap + op + "    request: {a..b: path.id}\n"),
        Arguments.of("bad select path", false, soap + op + "    response: {select: a..b}\n"),
        Arguments.of("empty new name", false, soap + op + "    response: {rename: {a: \"\"}}\n"),
        Arguments.of("unknown response key", false, soap + op + "    response: {pick: a}\n"),
        Arguments.of("request and reply soap headers", true, soap + op
            + "    soapHeaders: {auth.user: header.X-User, trace: path.id}\n"
            + "    response: {soapHeaders: {session: body._session, version: header.X-Version}}\n"),
        Arguments.of("every reply soap header under one member", true, soap + op
            + "    response: {soapHeaders: body._headers}\n"),
        Arguments.of("reply soap header into a query", false, soap + op
            + "    response: {soapHeaders: {session: query.s}}\n"),
        Arguments.of("reply soap headers into a dotted member", false, soap + op
            + "    response: {soapHeaders: body.a.b}\n"),
        Arguments.of("request soap header from an unknown source", false, soap + op
            + "    soapHeaders: {trace: form.t}\n"),
        Arguments.of("success status for a fault", false, soap + op + "    faults: {XNotFound: 200}\n"),
        Arguments.of("status that is not a number", false, soap + op + "    faults: {XNotFound: missing}\n"),
        Arguments.of("boolean that is not one", false,
            soap + "options: {preciseNumbersAsStrings: maybe}\n" + op),
        Arguments.of("unknown option", false, soap + "options: {strict: true}\n" + op),
        Arguments.of("misspelled operation key", false, soap + op + "    respones: {select: x}\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documents")
  void theSchemaAndTheLoaderGiveTheSameVerdict(String name, boolean loaderAccepts, String text, @TempDir Path dir)
      throws IOException {
    Files.writeString(dir.resolve("file.yaml"), text, StandardCharsets.UTF_8);
    Problems problems = new Problems();
    new ConfigLoader(variable -> null).load(dir, problems);
    assertThat(problems.isEmpty()).as("the loader accepts it: %s", problems.sorted()).isEqualTo(loaderAccepts);

    JsonNode doc = yaml(text);
    Schema schema = schemaFor(doc);
    boolean schemaAccepts = schema != null && errors(schema, doc).isEmpty();
    assertThat(schemaAccepts).as("the schema accepts it: %s", schema == null ? "no schema" : errors(schema, doc))
        .isEqualTo(loaderAccepts);
  }

  static Stream<Path> demoFiles() throws IOException {
    try (Stream<Path> s = Files.list(REPO.resolve("mappings"))) {
      return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList().stream();
    }
  }

  private static Schema schemaFor(JsonNode doc) {
    return switch (doc.path("ficus").asText()) {
      case ConfigLoader.GATEWAY_KIND -> GATEWAY;
      case ConfigLoader.MAPPING_KIND -> MAPPING;
      default -> null;
    };
  }

  private static List<Error> errors(Schema schema, JsonNode doc) {
    try {
      return schema.validate(JSON.writeValueAsString(doc), InputFormat.JSON);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static JsonNode read(Path file) {
    try {
      return yaml(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode schemaNode(String name) throws IOException {
    return JSON.readTree(REPO.resolve("docs/schema").resolve(name).toFile());
  }

  private static Schema schema(String name) {
    try {
      String text = Files.readString(REPO.resolve("docs/schema").resolve(name), StandardCharsets.UTF_8);
      return REGISTRY.getSchema(text, InputFormat.JSON);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The checkout's root: the nearest folder up from the working directory with mappings/ and docs/schema/. */
  private static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    for (int i = 0; i < 5 && p != null; i++, p = p.getParent()) {
      if (Files.isDirectory(p.resolve("mappings")) && Files.isDirectory(p.resolve("docs/schema"))) {
        return p;
      }
    }
    throw new IllegalStateException("no mappings/ and docs/schema/ above " + Path.of("").toAbsolutePath());
  }
}
