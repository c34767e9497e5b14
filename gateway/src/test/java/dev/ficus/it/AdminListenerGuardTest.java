package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.server.GatewayServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin listener over real HTTP with raw headers, as a browser tab would send them: a
 * DNS-rebound Host, a cross-origin form POST and a form without Origin are refused (and do not
 * reload); the listener's own names, a configured name, JSON requests and the token get in.
 */
class AdminListenerGuardTest {
  @TempDir
  Path dir;

  private static String gateway(String admin, String routes) {
    return """
        ficus: gateway/v1
        upstreams:
          monolith: { url: "http://127.0.0.1:1" }
        routes:
          - path: /**
            to: monolith
        %s
        admin:
        %s
        """.formatted(routes, admin);
  }

  private static final String ONE_MORE_ROUTE = """
          - path: /added
            to: monolith
        """;

  /** Sends one raw request to the admin port; returns the head and body of the answer. */
  private static String send(int port, String request) throws IOException {
    try (Socket s = new Socket(Loopback.HOST, port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return RawHttp.readResponse(s.getInputStream());
    }
  }

  private static String get(int port, String host, String extraHeaders) throws IOException {
    return send(port, "GET /health HTTP/1.1\r\nHost: " + host + "\r\n" + extraHeaders + "Connection: close\r\n\r\n");
  }

  private static String postReload(int port, String host, String headers, String body) throws IOException {
    return send(port, "POST /reload HTTP/1.1\r\nHost: " + host + "\r\n" + headers + "Content-Length: "
        + body.length() + "\r\nConnection: close\r\n\r\n" + body);
  }

  private static void assertForbidden(String answer, String because) {
    assertThat(answer).startsWith("HTTP/1.1 403 ");
    assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
    assertThat(answer).contains(because);
  }

  @Test
  void aRebindedHostNameIsRefusedAndTheListenersOwnNamesAreServed() throws Exception {
    ConfigFiles.write(dir, "gateway.yaml", gateway("  listen: 127.0.0.1:0", ""));
    try (GatewayServer gw = GatewayServer.start(dir, k -> null, Loopback.HOST, 0)) {
      int port = gw.adminPort();

      assertForbidden(get(port, "attacker.example:" + port, ""), "Host 'attacker.example:" + port + "'");
      assertForbidden(get(port, "127.0.0.1:" + (port == 65535 ? 1 : port + 1), ""), "Host");
      assertForbidden(get(port, "127.0.0.1", ""), "Host");
      assertThat(send(port, "GET /health HTTP/1.0\r\n\r\n")).as("no Host at all").startsWith("HTTP/1.0 403 ");

      for (String own : new String[] {"127.0.0.1:" + port, "localhost:" + port, "LocalHost:" + port, "[::1]:" + port}) {
        assertThat(get(port, own, "")).as(own).startsWith("HTTP/1.1 200 ").contains("\"status\":\"UP\"");
      }
      assertThat(get(port, "127.0.0.1:" + port, "Origin: http://127.0.0.1:" + port + "\r\n"))
          .as("the listener's own origin").startsWith("HTTP/1.1 200 ");
      assertForbidden(get(port, "127.0.0.1:" + port, "Origin: http://attacker.example\r\n"),
          "Origin 'http://attacker.example'");
    }
  }

  @Test
  void aCrossOriginFormPostDoesNotReloadAndAJsonPostDoes() throws Exception {
    ConfigFiles.write(dir, "gateway.yaml", gateway("  listen: 127.0.0.1:0", ""));
    try (GatewayServer gw = GatewayServer.start(dir, k -> null, Loopback.HOST, 0)) {
      int port = gw.adminPort();
      String host = "127.0.0.1:" + port;
      ConfigFiles.write(dir, "gateway.yaml", gateway("  listen: 127.0.0.1:0", ONE_MORE_ROUTE));

      String form = "Content-Type: application/x-www-form-urlencoded\r\n";
      assertForbidden(postReload(port, host, form + "Origin: http://attacker.example\r\n", "a=1"), "Origin");
      assertForbidden(postReload(port, host, form + "Origin: null\r\n", "a=1"), "Origin 'null'");
      String noOrigin = postReload(port, host, form, "a=1");
      assertThat(noOrigin).startsWith("HTTP/1.1 415 ").contains("application/json");
      assertThat(postReload(port, host, "Content-Type: text/plain\r\n", "{}")).startsWith("HTTP/1.1 415 ");
      assertThat(send(port, "PUT /migration/parity HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 0\r\n"
          + "Connection: close\r\n\r\n")).as("any mutating method, on any path").startsWith("HTTP/1.1 415 ");
      assertThat(gw.runtime().routes()).as("no refused request reloaded").hasSize(1);

      String json = postReload(port, host, "Content-Type: application/json; charset=utf-8\r\nOrigin: http://"
          + host + "\r\n", "");
      assertThat(json).startsWith("HTTP/1.1 200 ").contains("\"reloaded\"");
      assertThat(gw.runtime().routes()).hasSize(2);
    }
  }

  @Test
  void aConfiguredHostNameIsServed() throws Exception {
    ConfigFiles.write(dir, "gateway.yaml", gateway("  listen: 127.0.0.1:0\n  allowedHosts: [Admin.Internal]", ""));
    try (GatewayServer gw = GatewayServer.start(dir, k -> null, Loopback.HOST, 0)) {
      int port = gw.adminPort();

      assertThat(get(port, "admin.internal:" + port, "")).startsWith("HTTP/1.1 200 ");
      assertThat(get(port, "admin.internal", "")).as("as a proxy in front forwards it").startsWith("HTTP/1.1 200 ");
      assertForbidden(get(port, "other.internal:" + port, ""), "Host");
    }
  }

  @Test
  void theAdminTokenStandsInForJsonAndIsStillRequired() throws Exception {
    ConfigFiles.write(dir, "gateway.yaml", gateway("  listen: 127.0.0.1:0\n  token: s3cret", ""));
    try (GatewayServer gw = GatewayServer.start(dir, k -> null, Loopback.HOST, 0)) {
      int port = gw.adminPort();
      String host = "127.0.0.1:" + port;

      assertThat(postReload(port, host, "", "")).startsWith("HTTP/1.1 401 ");
      assertThat(postReload(port, host, "Authorization: Bearer s3cret\r\n", "")).startsWith("HTTP/1.1 200 ");
      assertForbidden(get(port, "attacker.example:" + port, "Authorization: Bearer s3cret\r\n"), "Host");
    }
  }
}
