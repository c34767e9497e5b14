package dev.ficus.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ficus.TestPki;
import dev.ficus.config.ConfigException;
import dev.ficus.server.GatewayServer;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code https://} upstreams: the pass-through speaks TLS to them, trusts the CA file of the
 * upstream, and refuses a server whose certificate chains to another CA or names another host.
 * The upstreams are real Undertow HTTPS servers on loopback with the test PKI (see
 * {@code dev/ficus/grpc/tls/make-certs.sh}).
 */
class HttpsUpstreamTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  static Path dir;
  static Undertow secure;
  static Undertow wrongName;
  static GatewayServer gateway;

  @BeforeAll
  static void start() throws Exception {
    secure = https("server", "secure hello");
    wrongName = https("wrong-name", "should never be read");
    TestPki.copy("ca.pem", dir.resolve("tls/ca.pem"));
    TestPki.copy("other-ca.pem", dir.resolve("tls/other-ca.pem"));
    Files.writeString(dir.resolve("gateway.yaml"), """
        ficus: gateway/v1
        upstreams:
          secure: { url: "https://127.0.0.1:%d", ca: tls/ca.pem }
          by-name: { url: "https://localhost:%d", ca: tls/ca.pem }
          wrong-ca: { url: "https://127.0.0.1:%d", ca: tls/other-ca.pem }
          wrong-name: { url: "https://127.0.0.1:%d", ca: tls/ca.pem }
          jvm-trust: { url: "https://127.0.0.1:%d" }
        routes:
          - { path: /secure/**, to: secure, stripPrefix: /secure }
          - { path: /by-name/**, to: by-name, stripPrefix: /by-name }
          - { path: /wrong-ca/**, to: wrong-ca, stripPrefix: /wrong-ca }
          - { path: /wrong-name/**, to: wrong-name, stripPrefix: /wrong-name }
          - { path: /jvm-trust/**, to: jvm-trust, stripPrefix: /jvm-trust }
        """.formatted(port(secure), port(secure), port(secure), port(wrongName), port(secure)));
    gateway = GatewayServer.start(dir, k -> null, "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    for (Undertow u : new Undertow[] {secure, wrongName}) {
      if (u != null) {
        u.stop();
      }
    }
  }

  @Test
  void anHttpsUpstreamCertifiedByItsCaIsProxied() throws Exception {
    HttpResponse<String> r = get("/secure/hello");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("secure hello /hello");
    assertThat(get("/by-name/hello").body()).isEqualTo("secure hello /hello");
  }

  @Test
  void aServerOfAnotherCaIsRefused() throws Exception {
    HttpResponse<String> r = get("/wrong-ca/hello");

    assertThat(r.statusCode()).isIn(502, 503);
    assertThat(r.body()).doesNotContain("secure hello");
  }

  @Test
  void aCertificateForAnotherHostIsRefusedEvenFromTheTrustedCa() throws Exception {
    // Undertow's client checks the host name itself (io.undertow.client.https.disableEndpointIdentification
    // would turn that off, and this test would then fail).
    HttpResponse<String> r = get("/wrong-name/hello");

    assertThat(r.statusCode()).isIn(502, 503);
    assertThat(r.body()).doesNotContain("should never be read");
  }

  @Test
  void withoutACaFileTheJvmsCasDecideAndDoNotKnowThePrivateCa() throws Exception {
    assertThat(get("/jvm-trust/hello").statusCode()).isIn(502, 503);
  }

  @Test
  void aMisspeltCaFileSuggestsTheNearestName() throws IOException {
    Path bad = Files.createDirectories(dir.resolve("misspelt"));
    Files.writeString(bad.resolve("legacy-ca.pem"), "not read: the name is wrong");
    Files.writeString(bad.resolve("gateway.yaml"), """
        ficus: gateway/v1
        upstreams:
          a: { url: "https://127.0.0.1:1", ca: legacy-ac.pem }
        routes:
          - { path: /**, to: a }
        """);

    assertThatThrownBy(() -> GatewayServer.start(bad, k -> null, "127.0.0.1", 0))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(Object::toString)
            .containsExactly("gateway.yaml:3:36: PEM file 'legacy-ac.pem' does not exist (relative to the "
                + "configuration folder); did you mean 'legacy-ca.pem'?"));
  }

  @Test
  void aCaFileThatIsMissingOrUselessIsAConfigurationProblem() throws IOException {
    Path bad = Files.createDirectories(dir.resolve("bad"));
    Files.writeString(bad.resolve("junk.pem"), "not a certificate");
    Files.writeString(bad.resolve("gateway.yaml"), """
        ficus: gateway/v1
        upstreams:
          a: { url: "https://127.0.0.1:1", ca: nowhere.pem }
          b: { url: "https://127.0.0.1:1", ca: junk.pem }
          c: { url: "http://127.0.0.1:1", ca: junk.pem }
        routes:
          - { path: /**, to: a }
        """);

    assertThatThrownBy(() -> GatewayServer.start(bad, k -> null, "127.0.0.1", 0))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(Object::toString)
            .containsExactly(
                "gateway.yaml:3:36: PEM file 'nowhere.pem' does not exist (relative to the configuration folder)",
                "gateway.yaml:4:36: 'junk.pem' holds no usable PEM certificate: No certificate data found",
                "gateway.yaml:5:35: 'ca' is the CA file for https:// URLs, and this upstream has none"));
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int port(Undertow u) {
    return ((java.net.InetSocketAddress) u.getListenerInfo().get(0).getAddress()).getPort();
  }

  /** An HTTPS server on 127.0.0.1 with the certificate {@code name}.pem, answering {@code text} and the path. */
  private static Undertow https(String name, String text) throws Exception {
    Undertow u = Undertow.builder()
        .addHttpsListener(0, "127.0.0.1", TestPki.serverContext(name))
        .setHandler(ex -> {
          ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
          ex.getResponseSender().send(text + " " + ex.getRequestPath());
        })
        .build();
    u.start();
    return u;
  }
}
