package dev.ficus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ficus.config.Specs.ConfigSpec;
import dev.ficus.config.Specs.EdgeLimits;
import dev.ficus.config.Specs.OperationSpec;
import dev.ficus.config.Specs.SourceKind;
import dev.ficus.config.Specs.UnknownFields;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final String VALID_MAPPING = """
      ficus: mapping/v1
      backend:
        soap:
          wsdl: ../wsdl/customers.wsdl
          service: CustomerService
          endpoint: ${URL:-http://127.0.0.1:7101/ws/customers}
          timeout: 5s
          headers:
            authHeader:
              token: secret
      options:
        unknownFields: ignore
        preciseNumbersAsStrings: true
      operations:
        - route: GET /api/customers/{id}
          call: getCustomer
          timeout: 250ms
          request:
            customerId: path.id
            filter.kind: query.kind
            auth: header.X-Token
            extra: body.a.b
          response:
            select: customer
            rename:
              firstName: givenName
          faults:
            CustomerNotFound: 404
        - route: POST /api/customers
          call: createCustomer
          request: body
      """;

  @TempDir
  Path dir;

  private final Problems problems = new Problems();
  private final Map<String, String> env = new HashMap<>();

  private void write(String name, String yaml) throws IOException {
    Files.writeString(dir.resolve(name), yaml, StandardCharsets.UTF_8);
  }

  private ConfigSpec load() {
    return new ConfigLoader(env::get).load(dir, problems);
  }

  private List<String> messages() {
    return problems.sorted().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void validMappingIsReadIntoSpecs() throws IOException {
    write("customers.yaml", VALID_MAPPING);

    ConfigSpec spec = load();

    assertThat(messages()).isEmpty();
    assertThat(spec.mappings()).singleElement().satisfies(m -> {
      assertThat(m.soap().wsdl()).isEqualTo("../wsdl/customers.wsdl");
      assertThat(m.soap().service()).isEqualTo("CustomerService");
      assertThat(m.soap().endpoint()).isEqualTo("http://127.0.0.1:7101/ws/customers");
      assertThat(m.soap().timeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(m.soap().headers()).containsOnlyKeys("authHeader");
      assertThat(m.options().unknownFields()).isEqualTo(UnknownFields.IGNORE);
      assertThat(m.options().preciseNumbersAsStrings()).isTrue();
      assertThat(m.operations()).hasSize(2);
    });
    OperationSpec get = spec.mappings().get(0).operations().get(0);
    assertThat(get.method()).isEqualTo("GET");
    assertThat(get.path()).isEqualTo("/api/customers/{id}");
    assertThat(get.routeLoc()).isEqualTo(new Loc("customers.yaml", 15, 5));
    assertThat(get.timeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(get.request().bindings()).extracting(b -> b.target() + "<-" + b.source() + b.sourcePath())
        .containsExactly("[customerId]<-PATH[id]", "[filter, kind]<-QUERY[kind]", "[auth]<-HEADER[x-token]",
            "[extra]<-BODY[a, b]");
    assertThat(get.response().select()).containsExactly("customer");
    assertThat(get.response().renames()).singleElement()
        .satisfies(r -> assertThat(r.path() + "->" + r.to()).isEqualTo("[firstName]->givenName"));
    assertThat(get.faults()).singleElement().satisfies(f -> {
      assertThat(f.fault()).isEqualTo("CustomerNotFound");
      assertThat(f.status()).isEqualTo(404);
    });
    OperationSpec post = spec.mappings().get(0).operations().get(1);
    assertThat(post.request().bindings()).singleElement()
        .satisfies(b -> assertThat(b.source()).isEqualTo(SourceKind.BODY));
  }

  @Test
  void gatewayFileIsReadWithListenLimitsAndDefaults() throws IOException {
    write("gateway.yaml", """
        ficus: gateway/v1
        listen: "[::1]:9090"
        limits:
          maxBodySize: 512KB
          maxResponseSize: 2MB
          idleTimeout: 30s
          requestHeadTimeout: 5s
        defaults:
          timeout: 2m
          unknownFields: ignore
        ioThreads: 3
        """);

    ConfigSpec spec = load();

    assertThat(messages()).isEmpty();
    assertThat(spec.gateway().ioThreadCount()).isEqualTo(3);
    assertThat(spec.gateway().host()).isEqualTo("::1");
    assertThat(spec.gateway().port()).isEqualTo(9090);
    assertThat(spec.gateway().maxBodyBytes()).isEqualTo(512 * 1024);
    assertThat(spec.gateway().maxResponseBytes()).isEqualTo(2 * 1024 * 1024);
    assertThat(spec.gateway().defaultTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(spec.gateway().unknownFields()).isEqualTo(UnknownFields.IGNORE);
    assertThat(spec.gateway().clientIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(spec.gateway().requestHeadTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void edgeLimitsAreReadWithTheirDefaultsAndRanges() throws IOException {
    write("gateway.yaml", "ficus: gateway/v1\n");
    EdgeLimits d = load().gateway().edge();
    assertThat(messages()).isEmpty();
    assertThat(d).isEqualTo(EdgeLimits.DEFAULTS);
    assertThat(d.bodyMemoryBytes()).isEqualTo(Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 4));
    write("gateway.yaml", """
        ficus: gateway/v1
        limits:
          bodyTimeout: 7s
          minBodyRate: 0
          maxBodyMemory: 8MB
          maxHeadSize: 16KB
          maxHeaders: 50
          shadowMemory: 4MB
          shadowInFlight: 9
        """);
    EdgeLimits e = load().gateway().edge();
    assertThat(messages()).isEmpty();
    assertThat(e).isEqualTo(new EdgeLimits(Duration.ofSeconds(7), 0, 8L << 20, 16 << 10, 50, 4L << 20, 9));
    assertThat(e.bodyMemoryBytes()).isEqualTo(8L << 20);
    write("gateway.yaml", """
        ficus: gateway/v1
        limits:
          minBodyRate: -1
          maxHeaders: 0
        """);
    load();
    assertThat(messages()).hasSize(2).allMatch(m -> m.startsWith("gateway.yaml:"));
  }

  @Test
  void anUpstreamAbandonsARequestWhoseClientLeftUnlessItIgnoresClientAborts() throws IOException {
    write("gateway.yaml", """
        ficus: gateway/v1
        upstreams:
          monolith: { url: http://127.0.0.1:8081 }
          checked: { url: http://127.0.0.1:8082, ignoreClientAbort: true }
        """);

    ConfigSpec spec = load();

    assertThat(messages()).isEmpty();
    assertThat(spec.gateway().upstreams()).extracting(u -> u.name() + "=" + u.ignoreClientAbort())
        .containsExactly("monolith=false", "checked=true");
    write("gateway.yaml", """
        ficus: gateway/v1
        upstreams:
          monolith: { url: http://127.0.0.1:8081, ignoreClientAbort: sometimes }
        """);
    load();
    assertThat(messages()).containsExactly("gateway.yaml:3:62: 'ignoreClientAbort' must be true or false, not a string");
  }

  @Test
  void clientTimeoutsDefaultAsNginxsAndMustBePositiveDurations() throws IOException {
    write("gateway.yaml", "ficus: gateway/v1\n");
    assertThat(load().gateway().clientIdleTimeout()).isEqualTo(Duration.ofSeconds(75));
    assertThat(load().gateway().requestHeadTimeout()).isEqualTo(Duration.ofSeconds(60));
    write("gateway.yaml", """
        ficus: gateway/v1
        limits:
          idleTimeout: 0s
          requestHeadTimeout: soon
        """);
    load();
    assertThat(messages()).containsExactly(
        "gateway.yaml:3:16: 'idleTimeout' must be a positive duration (at most 9 digits) such as 500ms, 5s or 2m, not '0s'",
        "gateway.yaml:4:23: 'requestHeadTimeout' must be a positive duration (at most 9 digits) such as 500ms, 5s or 2m, not 'soon'");
  }

  @Test
  void ioThreadsDefaultToOnePerCpuAndMustBePositive() throws IOException {
    write("gateway.yaml", "ficus: gateway/v1\n");
    assertThat(load().gateway().ioThreadCount()).isEqualTo(Runtime.getRuntime().availableProcessors());

    write("gateway.yaml", "ficus: gateway/v1\nioThreads: 0\n");
    load();
    assertThat(messages()).containsExactly("gateway.yaml:2:12: 'ioThreads' must be between 1 and 1024, not 0");
  }

  @Test
  void aShadowCopiesTheShareOfRequestsItsPercentSaysAndOnlyAShareThatMakesSense() throws IOException {
    String file = """
        ficus: gateway/v1
        upstreams:
          old: { url: http://127.0.0.1:7001 }
          new: { url: http://127.0.0.1:7002 }
        routes:
          - path: /a/**
            to: old
            shadow: { to: new, percent: %s }
          - path: /b/**
            to: old
            shadow: { to: new }
        """;
    write("gateway.yaml", file.formatted("12.5"));
    ConfigSpec spec = load();
    assertThat(messages()).isEmpty();
    assertThat(spec.gateway().routes().get(0).shadow().percent()).isEqualTo(12.5);
    assertThat(spec.gateway().routes().get(1).shadow().percent()).as("the default").isEqualTo(100);
    write("gateway.yaml", file.formatted("'5%'"));
    assertThat(load().gateway().routes().get(0).shadow().percent()).isEqualTo(5);
    String[] bad = {"0", "150", "lots"};
    for (String b : bad) {
      write("gateway.yaml", file.formatted(b));
      load();
    }
    assertThat(messages()).containsExactlyInAnyOrder(java.util.Arrays.stream(bad)
        .map(b -> "gateway.yaml:8:33: 'percent' must be a number above 0 and at most 100 (the share of requests copied); got '"
            + b + "'").toArray(String[]::new));
  }

  @Test
  void aShadowsOwnMemoryAndTimeoutAreReadAndDefaultToTheGatewaysBudgetAndTheTargetsTimeout() throws IOException {
    String file = """
        ficus: gateway/v1
        upstreams:
          old: { url: http://127.0.0.1:7001 }
          new: { url: http://127.0.0.1:7002 }
        routes:
          - path: /a/**
            to: old
            shadow: { to: new, maxMemory: %s, timeout: %s }
          - path: /b/**
            to: old
            shadow: { to: new }
        """;
    write("gateway.yaml", file.formatted("4MB", "750ms"));
    ConfigSpec spec = load();
    assertThat(messages()).isEmpty();
    assertThat(spec.gateway().routes().get(0).shadow().maxMemory()).isEqualTo(4L * 1024 * 1024);
    assertThat(spec.gateway().routes().get(0).shadow().timeout()).isEqualTo(java.time.Duration.ofMillis(750));
    assertThat(spec.gateway().routes().get(1).shadow().maxMemory()).as("no limit of the route's own").isZero();
    assertThat(spec.gateway().routes().get(1).shadow().timeout()).as("the target upstream's").isNull();
    write("gateway.yaml", file.formatted("0", "soon"));
    load();
    assertThat(messages()).hasSize(2).anySatisfy(m -> assertThat(m).contains("'maxMemory' must be a size"))
        .anySatisfy(m -> assertThat(m).contains("'timeout' must be a positive duration"));
  }

  @Test
  void missingGatewayFileMeansDefaults() throws IOException {
    write("customers.yaml", VALID_MAPPING);

    ConfigSpec spec = load();

    assertThat(spec.gateway().host()).isEqualTo("127.0.0.1");
    assertThat(spec.gateway().port()).isEqualTo(8080);
    assertThat(spec.gateway().unknownFields()).isEqualTo(UnknownFields.REJECT);
  }

  @Test
  void theRepositoryDemoConfigurationLoadsWithoutProblems() {
    Path mappings = Path.of("..", "mappings");

    new ConfigLoader(Map.<String, String>of()::get).load(mappings, problems);

    assertThat(messages()).isEmpty();
  }

  @Test
  void unknownKeyIsReportedAtTheKeyWithDidYouMean() throws IOException {
    write("m.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: a.wsdl
            endpiont: http://x
        operations:
          - route: GET /a
            call: a
            respones:
              select: x
        """);

    load();

    assertThat(messages()).containsExactly(
        "m.yaml:5:5: unknown key 'endpiont' in 'soap'; did you mean 'endpoint'?",
        "m.yaml:9:5: unknown key 'respones' in an operation; did you mean 'response'?");
  }

  @Test
  void unknownKeyFarFromAnyKnownKeyListsTheChoices() throws IOException {
    write("g.yaml", """
        ficus: gateway/v1
        zebra: 1
        """);

    load();

    assertThat(messages()).singleElement().satisfies(m -> assertThat(m)
        .startsWith("g.yaml:2:1: unknown key 'zebra' in the file; expected one of:")
        .contains("defaults", "ficus", "limits", "listen"));
  }

  @Test
  void wrongTypesAreReportedWithWhatWasFound() throws IOException {
    write("m.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: [a, b]
        options:
          preciseNumbersAsStrings: maybe
        operations: 5
        """);
    write("n.yaml", """
        ficus: mapping/v1
        backend: soap
        operations:
          - route: GET /a
            call: {x: 1}
            faults:
              Boom: teapot
              Bang: 200
        """);

    load();

    assertThat(messages()).containsExactly(
        "m.yaml:4:11: 'wsdl' must be a string, not a list",
        "m.yaml:6:28: 'preciseNumbersAsStrings' must be true or false, not a string",
        "m.yaml:7:13: 'operations' must be a list, not a number",
        "n.yaml:2:10: 'backend' must be a map, not a string",
        "n.yaml:5:11: 'call' must be a string, not a map",
        "n.yaml:7:13: 'Boom' must be a whole number, not a string",
        "n.yaml:8:13: 'Bang' must be between 400 and 599, not 200");
  }

  @Test
  void badRouteSyntaxIsReportedWithAnExample() throws IOException {
    write("m.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: a.wsdl
        operations:
          - route: FETCH /a
            call: a
          - route: GET a
            call: a
          - route: get /a
            call: a
          - route: /a
            call: a
        """);

    load();

    assertThat(problems.sorted()).extracting(ConfigProblem::loc).containsExactly(
        new Loc("m.yaml", 6, 5), new Loc("m.yaml", 8, 5), new Loc("m.yaml", 10, 5), new Loc("m.yaml", 12, 5));
    assertThat(messages()).allSatisfy(m -> assertThat(m)
        .contains("'route' must be 'METHOD /path', e.g. 'GET /api/customers/{id}'")
        .contains("DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"));
    assertThat(messages().get(0)).endsWith("got 'FETCH /a'");
  }

  @Test
  void badRequestSourcesAreReported() throws IOException {
    write("m.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: a.wsdl
        operations:
          - route: GET /a/{id}
            call: a
            request:
              x: pth.id
              y: query.
              z: 5
              bad..path: path.id
        """);

    load();

    assertThat(messages()).containsExactly(
        "m.yaml:9:10: the source of 'x' must be path.NAME, query.NAME, header.NAME, body or body.FIELD; got 'pth.id'",
        "m.yaml:10:10: the source of 'y' must be path.NAME, query.NAME, header.NAME, body or body.FIELD; got 'query.'",
        "m.yaml:11:10: the source of 'z' must be path.NAME, query.NAME, header.NAME, body or body.FIELD; got a number",
        "m.yaml:12:7: 'bad..path' is not a valid element path (names separated by dots, e.g. customer.address)");
  }

  @Test
  void badDurationsAreReportedAtTheValue() throws IOException {
    write("g.yaml", """
        ficus: gateway/v1
        defaults:
          timeout: 5 seconds
        """);
    write("m.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: a.wsdl
            timeout: 0s
        operations:
          - route: GET /a
            call: a
            timeout: -1s
          - route: GET /b
            call: b
            timeout: 10
        """);

    load();

    assertThat(messages()).containsExactly(
        "g.yaml:3:12: 'timeout' must be a positive duration (at most 9 digits) such as 500ms, 5s or 2m, not '5 seconds'",
        "m.yaml:5:14: 'timeout' must be a positive duration (at most 9 digits) such as 500ms, 5s or 2m, not '0s'",
        "m.yaml:9:14: 'timeout' must be a positive duration (at most 9 digits) such as 500ms, 5s or 2m, not '-1s'",
        "m.yaml:12:14: 'timeout' must be a positive duration (at most 9 digits) such as 500ms, 5s or 2m, not '10'");
  }

  @Test
  void badSizesAreReportedAtTheValue() throws IOException {
    write("g.yaml", """
        ficus: gateway/v1
        limits:
          maxBodySize: 1TB
          maxResponseSize: lots
        """);

    load();

    assertThat(messages()).containsExactly(
        "g.yaml:3:16: 'maxBodySize' must be a size from 1 byte to 64GB, such as 512KB or 1MB, not '1TB'",
        "g.yaml:4:20: 'maxResponseSize' must be a size from 1 byte to 64GB, such as 512KB or 1MB, not 'lots'");
  }

  @Test
  void zeroSizeIsRejected() throws IOException {
    write("g.yaml", """
        ficus: gateway/v1
        limits:
          maxBodySize: 0
        """);

    load();

    assertThat(messages()).singleElement().satisfies(m -> assertThat(m).startsWith("g.yaml:3:16: 'maxBodySize'"));
  }

  @Test
  void durationTooLargeForALongIsAProblemNotACrash() throws IOException {
    write("g.yaml", """
        ficus: gateway/v1
        defaults:
          timeout: 99999999999999999999s
        """);

    load();

    assertThat(messages()).singleElement().satisfies(m -> assertThat(m).startsWith("g.yaml:3:12: 'timeout'"));
  }

  @Test
  void sizeThatOverflowsIsAProblemNotAWrongNumber() throws IOException {
    write("g.yaml", """
        ficus: gateway/v1
        limits:
          maxBodySize: 99999999999GB
        """);

    ConfigSpec spec = load();

    assertThat(messages()).singleElement().satisfies(m -> assertThat(m).startsWith("g.yaml:3:16: 'maxBodySize'"));
    assertThat(spec.gateway().maxBodyBytes()).isPositive();
  }

  @Test
  void badListenAddressIsReported() throws IOException {
    write("g.yaml", """
        ficus: gateway/v1
        listen: localhost
        """);

    load();

    assertThat(messages()).containsExactly(
        "g.yaml:2:1: 'listen' must be host:port such as 127.0.0.1:8080, not 'localhost'");
  }

  @Test
  void badUnknownFieldsPolicyHasDidYouMean() throws IOException {
    write("g.yaml", """
        ficus: gateway/v1
        defaults:
          unknownFields: rejct
        """);

    load();

    assertThat(messages()).containsExactly(
        "g.yaml:3:18: 'unknownFields' cannot be 'rejct'; did you mean 'reject'?");
  }

  @Test
  void fileWithoutFicusHeaderIsReportedAtItsStart() throws IOException {
    write("m.yaml", """
        backend:
          soap:
            wsdl: a.wsdl
        operations: []
        """);

    ConfigSpec spec = load();

    assertThat(messages()).singleElement().satisfies(m -> assertThat(m)
        .startsWith("m.yaml:1:1: the file must start with 'ficus: mapping/v1' or 'ficus: gateway/v1'"));
    assertThat(spec.mappings()).isEmpty();
  }

  @Test
  void unknownFileKindHasDidYouMean() throws IOException {
    write("m.yaml", """
        ficus: mapping/v2
        """);

    load();

    assertThat(messages()).containsExactly("m.yaml:1:1: unknown file kind 'mapping/v2'; did you mean 'mapping/v1'?");
  }

  @Test
  void fileThatIsNotAMapIsReported() throws IOException {
    write("m.yaml", "- a\n- b\n");

    load();

    assertThat(messages()).containsExactly("m.yaml:1:1: the file must be a map, not a list");
  }

  @Test
  void secondGatewayFileIsReportedNamingTheFirst() throws IOException {
    write("a-gateway.yaml", "ficus: gateway/v1\nlisten: 127.0.0.1:1\n");
    write("b-gateway.yaml", "# another one\nficus: gateway/v1\nlisten: 127.0.0.1:2\n");

    ConfigSpec spec = load();

    assertThat(messages()).containsExactly(
        "b-gateway.yaml:2:1: a second gateway file; the first is a-gateway.yaml — keep one");
    assertThat(spec.gateway().port()).isEqualTo(1);
  }

  @Test
  void mappingWithoutBackendOrOperationsIsReported() throws IOException {
    write("m.yaml", """
        ficus: mapping/v1
        backend: {}
        operations: []
        """);
    write("n.yaml", "ficus: mapping/v1\n");

    load();

    assertThat(messages()).containsExactly(
        "m.yaml:2:10: 'backend' needs 'soap' or 'grpc'",
        "m.yaml:3:13: 'operations' is empty; add at least one operation",
        "n.yaml:1:1: the file needs 'backend'",
        "n.yaml:1:1: the file needs 'operations'");
  }

  @Test
  void emptyDirectoryIsReported() {
    load();

    assertThat(messages()).singleElement().satisfies(m -> assertThat(m).contains("no *.yaml files"));
  }

  @Test
  void filesOtherThanYamlAreIgnored() throws IOException {
    write("notes.txt", "ficus: nonsense");
    write("m.yml", VALID_MAPPING);

    ConfigSpec spec = load();

    assertThat(messages()).isEmpty();
    assertThat(spec.mappings()).hasSize(1);
  }

  @Test
  void everyProblemOfEveryFileIsReportedAtOnceSortedByFileLineAndColumn() throws IOException {
    write("b.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: a.wsdl
            timeout: soon
        operations:
          - route: GET /x
            call: x
            faults: {Boom: 9000}
          - rout: GET /y
            call: y
        """);
    write("a.yaml", """
        ficus: gateway/v1
        listen: ${NOT_SET}
        limits:
          maxBodySize: huge
        extra: 1
        """);
    write("c.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: a.wsdl
        operations:
          - route: GET /z
            call: z
            call: z2
        """);

    load();

    // The unset variable is the one problem of line 2: no "'listen' must be host:port, not ''".
    assertThat(messages()).containsExactly(
        "a.yaml:2:9: environment variable NOT_SET is not set; set it or give a default with ${NOT_SET:-value}",
        "a.yaml:4:16: 'maxBodySize' must be a size from 1 byte to 64GB, such as 512KB or 1MB, not 'huge'",
        "a.yaml:5:1: unknown key 'extra' in the file; expected one of: admin, debugHeaders, defaults, ficus, ioThreads, limits, listen, policies, routes, trustedProxies, upstreams",
        "b.yaml:5:14: 'timeout' must be a positive duration (at most 9 digits) such as 500ms, 5s or 2m, not 'soon'",
        "b.yaml:9:20: 'Boom' must be between 400 and 599, not 9000",
        "b.yaml:10:5: an operation needs 'route'",
        "b.yaml:10:5: unknown key 'rout' in an operation; did you mean 'route'?",
        "c.yaml:8:5: duplicate key 'call' (first written at line 7); remove one of them");
  }

  @Test
  void configExceptionCarriesEveryProblemSorted() throws IOException {
    write("b.yaml", "ficus: mapping/v9\n");
    write("a.yaml", "ficus: gateway/v1\nlisten: nowhere\n");
    load();

    assertThatThrownBy(problems::throwIfAny)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("2 configuration problem(s):")
        .satisfies(e -> assertThat(((ConfigException) e).problems())
            .extracting(p -> p.loc().file()).containsExactly("a.yaml", "b.yaml"));
  }

  @Test
  void aSplitIsStickyByARequestKeyOrByTheApiConsumer() throws IOException {
    write("gateway.yaml", """
        ficus: gateway/v1
        upstreams:
          old: {url: "http://127.0.0.1:1"}
          new: {url: "http://127.0.0.1:2"}
        routes:
          - path: /a/**
            split: {old: 90, new: 10}
            sticky: consumer
          - path: /b/**
            split: {old: 90, new: 10}
            sticky: header:X-User-Id
          - path: /c/**
            split: {old: 90, new: 10}
            sticky: user
        """);

    ConfigSpec spec = load();

    assertThat(messages()).containsExactly("gateway.yaml:14:5: 'user' must be header:NAME, cookie:NAME, query:NAME "
        + "or consumer (the API consumer)");
    assertThat(spec.gateway().routes()).extracting(r -> String.valueOf(r.sticky()))
        .containsExactly("consumer", "header:x-user-id", "null");
  }

  @Test
  void adminAllowedHostsAreHostHeaderValuesKeptInLowerCase() throws IOException {
    write("gateway.yaml", """
        ficus: gateway/v1
        admin:
          listen: 127.0.0.1:9090
          allowedHosts: [Admin.Internal, "admin.internal:8443", "[::1]:9090", "http://x/"]
        """);

    ConfigSpec spec = load();

    assertThat(messages()).containsExactly("gateway.yaml:4:71: 'allowedHosts' holds Host header values such as "
        + "admin.internal or admin.internal:9090, not 'http://x/'");
    assertThat(spec.gateway().admin().allowedHosts()).containsExactly("admin.internal", "admin.internal:8443", "[::1]:9090");
    assertThat(spec.gateway().admin().loopback()).isTrue();
  }
}
