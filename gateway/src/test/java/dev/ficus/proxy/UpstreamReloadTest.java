package dev.ficus.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.server.GatewayServer;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload keeps an upstream's pooled keep-alive connections when the upstream is unchanged,
 * instead of opening new ones and abandoning the old: seen from a real backend that records the
 * client port of every request it serves.
 */
class UpstreamReloadTest {
  @TempDir
  Path dir;
  Undertow backend;
  GatewayServer gateway;
  final Set<Integer> gatewayPorts = ConcurrentHashMap.newKeySet();

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (backend != null) {
      backend.stop();
    }
  }

  @Test
  void anUnchangedUpstreamKeepsItsConnectionsAcrossReloads() throws Exception {
    backend = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(ex -> {
      gatewayPorts.add(ex.getSourceAddress().getPort());
      ex.getResponseSender().send("ok " + ex.getRequestPath());
    }).build();
    backend.start();
    int port = ((InetSocketAddress) backend.getListenerInfo().get(0).getAddress()).getPort();
    String yaml = """
        ficus: gateway/v1
        upstreams:
          legacy: { url: "http://127.0.0.1:%d" }
        routes:
          - { path: /**, to: legacy }
        """.formatted(port);
    Files.writeString(dir.resolve("gateway.yaml"), yaml);
    gateway = GatewayServer.start(dir, k -> null, "127.0.0.1", 0);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + gateway.port() + "/r" + round)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("ok /r" + round);
      }
      // the same upstream, written differently: a new configuration, the same pools
      Files.writeString(dir.resolve("gateway.yaml"), yaml + "# reload " + round + "\n");
      gateway.reload();
    }

    assertThat(gatewayPorts).as("backend connections opened by the gateway over three reloads").hasSize(1);
  }
}
