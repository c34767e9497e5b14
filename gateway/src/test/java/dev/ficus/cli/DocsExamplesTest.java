package dev.ficus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.it.FicusCli;
import dev.ficus.samples.grpc.InventorySample;
import dev.ficus.samples.http.HttpSamples;
import dev.ficus.samples.soap.SoapSamples;
import dev.ficus.server.GatewayServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example of README.md and docs/getting-started.md, run against the demo's set-up: the
 * repository's {@code mappings/} in front of the sample systems that {@code ficus demo} starts
 * (here in this JVM, on ephemeral ports; the pages' {@code 127.0.0.1:8080} and {@code :9090}
 * are mapped to the gateway's and the admin listener's ports, {@code :8081} to the gateway
 * that getting-started runs on its {@code my-config}). Each page gets a fresh gateway, since
 * its examples build on each other (the parity report counts the tour's calls). Curl lines are
 * read as a shell would and sent with the JDK client; {@code ficus validate} runs in-process.
 * A page that drifts from what the gateway does fails here, naming the line.
 */
class DocsExamplesTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final String HOST = "127.0.0.1";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private static SoapSamples soap;
  private static HttpSamples http;
  private static InventorySample inventory;

  @TempDir
  Path tmp;

  /** Gateways of the page under test by the port the page names; closed after each test. */
  private final Map<Integer, GatewayServer> gateways = new HashMap<>();
  /** The page's ports (8080, 9090, 8081) to the real ones. */
  private final Map<Integer, Integer> ports = new HashMap<>();
  /** Folders the page names (my-config) to the test's copies. */
  private final Map<String, Path> folders = new LinkedHashMap<>();

  @BeforeAll
  static void startSamples() {
    soap = SoapSamples.start(HOST, freePort(), "legacy-secret");
    http = HttpSamples.start(HOST, 0, 0);
    inventory = InventorySample.start(HOST, 0);
  }

  @AfterAll
  static void stopSamples() {
    if (inventory != null) {
      inventory.close();
    }
    if (http != null) {
      http.close();
    }
    if (soap != null) {
      soap.close();
    }
  }

  @AfterEach
  void stopGateways() {
    gateways.values().forEach(GatewayServer::close);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What {@code ficus demo} sets for mappings/, pointing at this test's samples. */
  private static Map<String, String> demoEnvironment(int adminPort) {
    return Map.of(
        "CUSTOMER_SOAP_URL", soap.customersUrl(),
        "CALCULATOR_SOAP_URL", soap.calculatorUrl(),
        "ECHO_SOAP_URL", soap.echoUrl(),
        "INVENTORY_GRPC", inventory.target(),
        "MONOLITH_URL", http.monolithUrl(),
        "NEW_CUSTOMERS_URL", http.newCustomersUrl(),
        "FICUS_ADMIN_LISTEN", HOST + ":" + adminPort);
  }

  /** Starts the gateway of {@code config} for the page's {@code port}, and its admin listener for {@code adminPort}. */
  private void gateway(int port, Path config, int adminPort) {
    int admin = freePort();
    GatewayServer server = GatewayServer.start(config, demoEnvironment(admin)::get, HOST, 0);
    gateways.put(port, server);
    ports.put(port, server.port());
    ports.put(adminPort, admin);
  }

  /** The test's copy of a folder a page names, for the demo's files that refer to ../wsdl etc. */
  private Path folder(String name) {
    return folders.computeIfAbsent(name, n -> {
      try {
        for (String shared : List.of("wsdl", "proto", "docs")) {
          if (!Files.exists(tmp.resolve(shared))) {
            Files.createSymbolicLink(tmp.resolve(shared), REPO.resolve(shared));
          }
        }
        return Files.createDirectories(tmp.resolve(n));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  // ------------------------------------------------------------------ running the pages

  /** Runs the steps of {@code page}; returns one line per example that disagrees with the gateway. */
  private List<String> run(String page) throws IOException {
    List<String> drift = new ArrayList<>();
    Path file = REPO.resolve(page);
    for (DocExamples.Step step : DocExamples.read(file)) {
      String at = page + ":" + step.line() + ": ";
      if (step instanceof DocExamples.WriteFile w) {
        Files.writeString(path(w.file()), w.text());
      } else if (step instanceof DocExamples.Replace r) {
        Path p = path(r.file());
        String text = Files.readString(p);
        assertThat(text).as(at + "the text to replace").contains(r.from());
        Files.writeString(p, text.replace(r.from(), r.to()));
      } else if (step instanceof DocExamples.RunOnly ro) {
        for (String line : ro.commands()) {
          for (String c : DocExamples.expand(line)) {
            Output out = execute(c);
            // Not compared, but served: a 5xx, or the gateway's own "no route", is a tour that went stale.
            if (out.status() >= 500 || out.body().contains("urn:ficus:problem:not-found")
                || out.body().contains("urn:ficus:problem:method-not-allowed")) {
              drift.add(at + c + " answered " + out.status() + ": " + out.body());
            }
          }
        }
      } else if (step instanceof DocExamples.Console con) {
        for (DocExamples.Command c : con.commands()) {
          String d = check(c);
          if (d != null) {
            drift.add(at + "$ " + c.text() + "\n    " + d);
          }
        }
      }
    }
    return drift;
  }

  private Path path(String pageFile) {
    int slash = pageFile.indexOf('/');
    return folder(pageFile.substring(0, slash)).resolve(pageFile.substring(slash + 1));
  }

  /** What a command printed: an HTTP reply, or a CLI run (status = exit code). */
  private record Output(int status, Map<String, List<String>> headers, String body, boolean showHead) {}

  private String check(DocExamples.Command c) {
    List<String> commands = DocExamples.expand(c.text());
    Output out = null;
    // The shadow comparisons of the calls before a migration report finish a moment after the
    // calls: a report is asked again, for up to 5 s, until it shows what the page says.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    String d;
    do {
      for (String one : commands) {
        out = execute(one);
      }
      d = out.showHead() ? ExpectedOutput.replyDifference(c.output(), out.status(), out.headers(), out.body())
          : ExpectedOutput.difference(c.output(), out.body());
    } while (d != null && c.text().contains("/migration/") && System.nanoTime() < deadline && pause());
    return d;
  }

  private static boolean pause() {
    try {
      Thread.sleep(100);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Output execute(String command) {
    List<String> w = DocExamples.words(command);
    if (w.get(0).equals("curl")) {
      return curl(w);
    }
    if (w.size() == 2 && w.get(0).equals("mkdir")) {
      folder(w.get(1));
      return new Output(0, Map.of(), "", false);
    }
    if (w.size() == 3 && w.get(0).equals("cp") && w.get(1).equals("mappings/*.yaml")) {
      Path to = folder(w.get(2).replaceAll("/$", ""));
      try (Stream<Path> files = Files.list(REPO.resolve("mappings"))) {
        for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Output(0, Map.of(), "", false);
    }
    if (w.size() >= 4 && w.subList(0, 3).equals(List.of("java", "-jar", "gateway/target/ficus.jar"))) {
      return ficus(w.subList(3, w.size()));
    }
    throw new AssertionError("an example runs curl, ficus, mkdir or cp mappings/*.yaml, not: " + command);
  }

  private Output ficus(List<String> args) {
    List<String> mapped = new ArrayList<>();
    Map<String, String> shown = new LinkedHashMap<>();
    for (String a : args) {
      if (a.equals("mappings")) {
        shown.put(REPO.resolve("mappings").toString(), a);
        mapped.add(REPO.resolve("mappings").toString());
      } else if (folders.containsKey(a)) {
        shown.put(folders.get(a).toString(), a);
        mapped.add(folders.get(a).toString());
      } else {
        mapped.add(a);
      }
    }
    FicusCli.Run r = FicusCli.ficus(mapped.toArray(String[]::new));
    String text = r.out() + r.err();
    for (Map.Entry<String, String> e : shown.entrySet()) {
      text = text.replace(e.getKey(), e.getValue());
    }
    return new Output(r.exitCode(), Map.of(), text, false);
  }

  /** Sends what {@code curl} would: -X, -H, -d (POST unless -X says otherwise), -i; -s and -o FILE change nothing here. */
  private Output curl(List<String> w) {
    String method = null;
    String body = null;
    String url = null;
    boolean head = false;
    List<String[]> headers = new ArrayList<>();
    for (int i = 1; i < w.size(); i++) {
      switch (w.get(i)) {
        case "-s" -> { }
        case "-i" -> head = true;
        case "-o" -> i++;
        case "-X" -> method = w.get(++i);
        case "-H" -> {
          String h = w.get(++i);
          headers.add(new String[] {h.substring(0, h.indexOf(':')).strip(), h.substring(h.indexOf(':') + 1).strip()});
        }
        case "-d" -> body = w.get(++i);
        default -> {
          assertThat(w.get(i)).as("a curl option this test knows, in %s", w).doesNotStartWith("-");
          url = w.get(i);
        }
      }
    }
    URI uri = URI.create(url);
    Integer real = ports.get(uri.getPort());
    if (real == null && uri.getPort() == 8080) {
      gateway(8080, REPO.resolve("mappings"), 9090);
      real = ports.get(8080);
    } else if (real == null && uri.getPort() == 8081) {
      gateway(8081, folders.get("my-config"), 9091);
      real = ports.get(8081);
    }
    assertThat(real).as("a port of the demo or of a gateway the page starts: %s", url).isNotNull();
    String target = "http://" + HOST + ":" + real + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(20))
        .method(method != null ? method : body != null ? "POST" : "GET",
            body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(h -> b.header(h[0], h[1]));
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Output(r.statusCode(), r.headers().map(), r.body(), head);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  // ------------------------------------------------------------------ the tests

  @Test
  void everyExampleOfTheReadmeShowsWhatTheDemoAnswers() throws IOException {
    assertThat(run("README.md")).isEmpty();
  }

  @Test
  void everyExampleOfGettingStartedShowsWhatTheDemoAnswers() throws IOException {
    assertThat(run("docs/getting-started.md")).isEmpty();
  }

  @Test
  void theReadmeTourIsTheListTheDemoPrints() {
    List<DocExamples.RunOnly> tours = DocExamples.read(REPO.resolve("README.md")).stream()
        .filter(s -> s instanceof DocExamples.RunOnly).map(s -> (DocExamples.RunOnly) s).toList();
    assertThat(tours).as("the README's tour, marked <!-- docs-test: run -->").hasSize(1);
    List<String> printed = DocExamples.joined(Stream.concat(
        Demo.tryLines("http://127.0.0.1:8080").stream(), Demo.reportLines("http://127.0.0.1:9090").stream()).toList());

    assertThat(tours.get(0).commands()).containsExactlyElementsOf(printed);
  }
}
