package dev.ficus.grpc;

import static dev.ficus.grpc.GrpcFixture.get;
import static dev.ficus.grpc.UnaryTranscodingTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ficus.TestPki;
import dev.ficus.config.ConfigException;
import dev.ficus.samples.grpc.InventorySample;
import dev.ficus.server.GatewayServer;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS to gRPC backends with a private CA, mutual TLS with a client certificate, and the
 * authority the server's certificate is checked against, against real grpc-java servers
 * speaking TLS on loopback. The test PKI (a CA, a server certificate for 127.0.0.1 and
 * localhost, a client certificate, an unrelated CA) is in the test resources with the script
 * that made it.
 */
class GrpcTlsTest {
  private static final String[] PEMS = {"ca.pem", "other-ca.pem", "server.pem", "server-key.pem", "client.pem",
      "client-key.pem"};

  @TempDir
  static Path tmp;
  static Path config;
  static InventorySample tlsServer;
  static InventorySample mutualTlsServer;
  static GatewayServer gateway;

  @BeforeAll
  static void start() throws IOException {
    config = GrpcFixture.workspace(tmp);
    Path pki = config.resolve("tls");
    for (String pem : PEMS) {
      TestPki.copy(pem, pki.resolve(pem));
    }
    tlsServer = InventorySample.start("127.0.0.1", 0, InventorySample.Reflection.V1_AND_V1ALPHA,
        TlsServerCredentials.create(pki.resolve("server.pem").toFile(), pki.resolve("server-key.pem").toFile()));
    mutualTlsServer = InventorySample.start("127.0.0.1", 0, InventorySample.Reflection.V1_AND_V1ALPHA,
        TlsServerCredentials.newBuilder()
            .keyManager(pki.resolve("server.pem").toFile(), pki.resolve("server-key.pem").toFile())
            .trustManager(pki.resolve("ca.pem").toFile())
            .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
            .build());
    mapping("private-ca", tlsServer, "{ca: tls/ca.pem}");
    mapping("wrong-ca", tlsServer, "{ca: tls/other-ca.pem}");
    mapping("by-name", tlsServer, "{ca: tls/ca.pem, authority: localhost}");
    mapping("wrong-name", tlsServer, "{ca: tls/ca.pem, authority: inventory.example.com}");
    mapping("plaintext", tlsServer, "false");
    mapping("mutual", mutualTlsServer, "{ca: tls/ca.pem, cert: tls/client.pem, key: tls/client-key.pem}");
    mapping("no-client-cert", mutualTlsServer, "{ca: tls/ca.pem}");
    mapping("reflection", tlsServer, "{ca: tls/ca.pem}", "reflection: true");
    gateway = GrpcFixture.start(config);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (tlsServer != null) {
      tlsServer.close();
    }
    if (mutualTlsServer != null) {
      mutualTlsServer.close();
    }
  }

  @Test
  void aServerCertifiedByThePrivateCaIsCalled() {
    HttpResponse<String> r = get(gateway, "/private-ca/warehouses/main/items/hammer");

    assertThat(json(r).get("name").asText()).isEqualTo("warehouses/main/items/hammer");
  }

  @Test
  void aServerNotCertifiedByTheTrustedCaIsRefusedAsUnavailable() {
    HttpResponse<String> r = get(gateway, "/wrong-ca/warehouses/main/items/hammer");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void theAuthorityNamesTheHostTheCertificateMustCarry() {
    assertThat(json(get(gateway, "/by-name/warehouses/main/items/hammer")).get("name").asText())
        .isEqualTo("warehouses/main/items/hammer");
    assertThat(get(gateway, "/wrong-name/warehouses/main/items/hammer").statusCode()).isEqualTo(503);
  }

  @Test
  void plaintextCannotTalkToATlsServer() {
    assertThat(get(gateway, "/plaintext/warehouses/main/items/hammer").statusCode()).isEqualTo(503);
  }

  @Test
  void mutualTlsPresentsTheClientCertificate() {
    HttpResponse<String> r = get(gateway, "/mutual/warehouses/main/items/hammer");

    assertThat(json(r).get("name").asText()).isEqualTo("warehouses/main/items/hammer");
  }

  @Test
  void aServerThatRequiresAClientCertificateRefusesAGatewayWithout() {
    assertThat(get(gateway, "/no-client-cert/warehouses/main/items/hammer").statusCode()).isEqualTo(503);
  }

  @Test
  void reflectionIsReadOverTls() {
    HttpResponse<String> r = get(gateway, "/reflection/warehouses/main/items/hammer");

    assertThat(json(r).get("name").asText()).isEqualTo("warehouses/main/items/hammer");
  }

  @Test
  void aMissingCertificateFileIsAConfigurationProblemAtItsKey() throws IOException {
    Path bad = GrpcFixture.workspace(tmp.resolve("missing"));
    GrpcFixture.write(bad, "inventory.yaml", yaml("missing", tlsServer, "{ca: tls/nowhere.pem}", "proto: ../proto/inventory.proto"));

    assertThatThrownBy(() -> GrpcFixture.start(bad)).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.problems()).singleElement().asString()
            .startsWith("inventory.yaml:5:11: PEM file 'tls/nowhere.pem' does not exist (relative to the mapping "
                + "file's folder)"));
  }

  @Test
  void aClientCertificateWithoutItsKeyIsAConfigurationProblem() throws IOException {
    Path bad = GrpcFixture.workspace(tmp.resolve("half"));
    TestPki.copy("ca.pem", bad.resolve("tls/ca.pem"));
    TestPki.copy("client.pem", bad.resolve("tls/client.pem"));
    GrpcFixture.write(bad, "inventory.yaml", yaml("half", tlsServer, "{ca: tls/ca.pem, cert: tls/client.pem}",
        "proto: ../proto/inventory.proto"));

    assertThatThrownBy(() -> GrpcFixture.start(bad)).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.problems()).singleElement().asString().startsWith("inventory.yaml:5:27: ")
            .contains("needs both 'cert'").contains("and 'key'"));
  }

  @Test
  void aKeyThatIsNotPkcs8PemIsAConfigurationProblemThatSaysHowToConvertIt() throws IOException {
    Path bad = GrpcFixture.workspace(tmp.resolve("pkcs1"));
    TestPki.copy("client.pem", bad.resolve("tls/client.pem"));
    Files.writeString(bad.resolve("tls/client-key.pem"),
        "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----\n");
    GrpcFixture.write(bad, "inventory.yaml", yaml("pkcs1", tlsServer,
        "{cert: tls/client.pem, key: tls/client-key.pem}", "proto: ../proto/inventory.proto"));

    assertThatThrownBy(() -> GrpcFixture.start(bad)).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.problems()).singleElement().asString().contains("PKCS#1")
            .contains("openssl pkcs8 -topk8 -nocrypt"));
  }

  private static void mapping(String name, InventorySample server, String tls) {
    mapping(name, server, tls, "proto: ../proto/inventory.proto");
  }

  private static void mapping(String name, InventorySample server, String tls, String source) {
    GrpcFixture.write(config, name + ".yaml", yaml(name, server, tls, source));
  }

  private static String yaml(String name, InventorySample server, String tls, String source) {
    return """
        ficus: mapping/v1
        backend:
          grpc:
            target: %s
            tls: %s
            %s
            httpRules: false
            timeout: 5s
        operations:
          - route: GET /%s/{name=warehouses/*/items/*}
            call: inventory.v1.Inventory/GetItem
        """.formatted(server.target(), tls, source, name);
  }
}
