package dev.ficus.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.testing.HostileJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzz of the config loader: a gateway file and a mapping file whose values are hostile
 * (numbers of every size, sizes and durations past every range, YAML tags, anchors, aliases,
 * environment references, empty and odd scalars) and whose lines are dropped, doubled or
 * re-indented. Each configuration loads, with or without problems, or is refused with a
 * {@link ConfigException}, within {@link HostileJson#BOUND}; every problem has a message. Fixed
 * seed, bounded tries (raise {@code tries} locally to search).
 */
class ConfigLoaderFuzzTest {
  private static final String GATEWAY = """
      ficus: gateway/v1
      listen: %s
      limits:
        maxBodySize: %s
        maxResponseSize: %s
        idleTimeout: %s
        requestHeadTimeout: %s
        bodyTimeout: %s
        minBodyRate: %s
        maxBodyMemory: %s
        maxHeadSize: %s
        maxHeaders: %s
        shadowMemory: %s
        shadowInFlight: %s
      defaults:
        timeout: %s
        unknownFields: %s
      """;
  private static final String MAPPING = """
      ficus: mapping/v1
      backend:
        soap:
          wsdl: %s
          service: CustomerService
          endpoint: %s
          timeout: %s
          headers:
            authHeader:
              token: %s
      options:
        unknownFields: %s
        preciseNumbersAsStrings: %s
      operations:
        - route: %s
          call: %s
          timeout: %s
          request:
            customerId: %s
            filter.kind: query.kind
          response:
            select: %s
          faults:
            CustomerNotFound: %s
        - route: POST /api/customers
          call: createCustomer
          request: %s
      """;
  private static final int HOLES = 14 + 15;

  private static Path dir;

  @BeforeContainer
  static void makeDir() throws IOException {
    dir = Files.createTempDirectory("ficus-config-fuzz");
  }

  @AfterContainer
  static void removeDir() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  /** One YAML scalar (or flow value) for a hole. */
  private static Arbitrary<String> values() {
    Arbitrary<String> odd = Arbitraries.of("1MB", "0", "-1KB", "99999999999999999999GB", "1.5MB", "1e999999999MB",
        "NaNKB", "10s", "250ms", "1e999999999s", "9223372036854775807ms", "-5s", "PT1S", "''", "~", "null", "[]",
        "{}", "[1, [2, [3]]]", "{a: {b: {c: 1}}}", "&a 1MB", "*a", "!!binary AAAA", "!!float .inf", "!!int 0x7f",
        "'quoted'", "\"\\u0000\"", "yes", "0x10", "0o17", ".inf", "-.nan", "${X}", "${X:-1MB}", "${", "$${X}",
        "reject", "ignore", "GET /api/{id}", "GET /api/{id}/{id}", "FOO /x", "GET api", "POST /a/{b=**}/c",
        "path.id", "query.", "body.a..b", "header.X-A", "body", "getCustomer", "getCustomr", "customer",
        "../wsdl/customers.wsdl", "http://127.0.0.1:1/ws", "127.0.0.1:0", "[::1]:8080", "host:99999", "true", "2",
        "\"" + "x".repeat(3000) + "\"", "- a\n- b", "|\n  text", ">-");
    return Arbitraries.frequencyOf(Tuple.of(6, odd), Tuple.of(2, HostileJson.numberLiterals()),
        Tuple.of(1, HostileJson.numberLiterals().map(n -> n + "KB")),
        Tuple.of(1, HostileJson.numberLiterals().map(n -> n + "ms")));
  }

  /** A line edit: which line (modulo the file's length) and what to do with it. */
  private record Edit(int line, int kind) {}

  @Provide
  Arbitrary<List<String>> configurations() {
    Arbitrary<List<String>> holes = values().list().ofSize(HOLES);
    Arbitrary<List<Edit>> edits = Combinators.combine(Arbitraries.integers().between(0, 200),
        Arbitraries.integers().between(0, 3)).as(Edit::new).list().ofMaxSize(3);
    return Combinators.combine(holes, edits, edits).as((h, ge, me) -> {
      String gateway = edit(GATEWAY.formatted(h.subList(0, 14).toArray()), ge);
      String mapping = edit(MAPPING.formatted(h.subList(14, HOLES).toArray()), me);
      return List.of(gateway, mapping);
    });
  }

  private static String edit(String text, List<Edit> edits) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    for (Edit e : edits) {
      int i = e.line() % lines.size();
      switch (e.kind()) {
        case 0 -> lines.remove(i);
        case 1 -> lines.add(i, lines.get(i));
        case 2 -> lines.set(i, "  " + lines.get(i));
        default -> lines.set(i, lines.get(i).stripLeading());
      }
      if (lines.isEmpty()) {
        lines.add("");
      }
    }
    return String.join("\n", lines);
  }

  // No edge cases: combined over 29 holes they are thousands, and the values list is all edges.
  @Property(tries = 300, seed = "20261207", edgeCases = EdgeCasesMode.NONE)
  void everyConfigurationLoadsOrIsRefusedWithItsProblemsQuickly(@ForAll("configurations") List<String> files)
      throws IOException {
    Files.writeString(dir.resolve("gateway.yaml"), files.get(0), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("customers.yaml"), files.get(1), StandardCharsets.UTF_8);
    String input = files.get(0) + "\n---\n" + files.get(1);
    Problems problems = new Problems();
    HostileJson.answersWithinTheBound(input, () -> {
      try {
        return new ConfigLoader(Map.of("X", "1MB")::get).load(dir, problems);
      } catch (ConfigException e) {
        assertThat(e.problems()).isNotEmpty();
        throw e;
      }
    }, ConfigException.class);
    for (ConfigProblem p : problems.sorted()) {
      assertThat(p.message()).as("a problem of %s", input).isNotBlank();
    }
  }
}
