package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.config.Problems;
import dev.ficus.it.FicusCli.Run;
import dev.ficus.server.GatewayCompiler;
import dev.ficus.server.GatewayRuntime;
import dev.ficus.server.GatewayServer;
import dev.ficus.server.SharedState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiling a configuration opens no connection: the demo configuration, with every backend
 * and upstream pointed at one listening socket of the test, compiles offline while that socket
 * is never connected to; activation and the first requests after the gateway starts connect. And
 * {@code validate --offline} reports what would need the network instead of fetching it.
 */
class CompileOffTheNetworkTest {
  @TempDir
  Path dir;

  @Test
  void theDemoConfigurationCompilesOfflineWithoutOpeningAConnection() throws Exception {
    try (ServerSocketChannel trap = belowTheEphemeralRange()) {
      trap.configureBlocking(false);
      String hostPort = Loopback.HOST + ":" + trap.socket().getLocalPort();
      Map<String, String> env = Map.of("CALCULATOR_SOAP_URL", "http://" + hostPort + "/ws/calculator",
          "CUSTOMER_SOAP_URL", "http://" + hostPort + "/ws/customers", "INVENTORY_GRPC", hostPort,
          "MONOLITH_URL", "http://" + hostPort, "NEW_CUSTOMERS_URL", "http://" + hostPort,
          "FICUS_LISTEN", "127.0.0.1:0", "FICUS_ADMIN_LISTEN", "127.0.0.1:0", "LEGACY_TOKEN", "t");
      GatewayCompiler compiler = new GatewayCompiler(env::get);
      Problems problems = new Problems();
      try (SharedState shared = new SharedState(1024 * 1024, 1)) {
        GatewayRuntime rt = compiler.compile(compiler.load(ConfigFiles.DEMO_MAPPINGS, problems), shared, problems, true);
        assertThat(problems.sorted()).isEmpty();
        assertThat(rt).isNotNull();
        assertThat(rt.chains()).hasSizeGreaterThan(5);
        Thread.sleep(300);
        assertThat(accepted(trap)).as("connections opened by compiling").isZero();
      }
      // The detector works: activation (the gRPC channel starts connecting) and a request through
      // the started gateway do reach the socket.
      try (GatewayServer g = GatewayServer.start(ConfigFiles.DEMO_MAPPINGS, env::get, Loopback.HOST, 0)) {
        java.net.http.HttpClient.newHttpClient().sendAsync(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + g.port() + "/legacy/anything")).build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());
        long deadline = System.nanoTime() + 10_000_000_000L;
        int n = 0;
        while (n == 0 && System.nanoTime() < deadline) {
          n = accepted(trap);
          Thread.sleep(20);
        }
        assertThat(n).as("the first pass-through request connects").isPositive();
      }
    }
  }

  @Test
  void validateOfflineReportsAWsdlByUrlAndReflectionInsteadOfFetchingThem() {
    ConfigFiles.write(dir, "remote.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "http://127.0.0.1:9/service?wsdl"
            endpoint: "http://127.0.0.1:9/service"
        operations:
          - route: GET /api/thing
            call: getThing
        """);
    ConfigFiles.write(dir, "reflected.yaml", """
        ficus: mapping/v1
        backend:
          grpc:
            target: 127.0.0.1:9
            reflection: true
        """);
    Run run = FicusCli.ficus("validate", "--offline", dir.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out() + run.err())
        .contains("remote.yaml:4").contains("read over the network, which an offline check does not do")
        .contains("reflected.yaml:5").contains("reflection asks 127.0.0.1:9");
  }

  /**
   * A listening socket on a port below Linux's ephemeral range (32768-60999): no earlier test's
   * server had it, so no client of an earlier test that is still reconnecting can reach it.
   */
  private static ServerSocketChannel belowTheEphemeralRange() throws IOException {
    java.util.Random r = new java.util.Random();
    for (int i = 0; i < 200; i++) {
      ServerSocketChannel c = ServerSocketChannel.open(StandardProtocolFamily.INET);
      try {
        c.bind(new InetSocketAddress(Loopback.HOST, 20_000 + r.nextInt(12_000)));
        return c;
      } catch (IOException taken) {
        c.close();
      }
    }
    throw new IOException("no free port between 20000 and 32000");
  }

  private static int accepted(ServerSocketChannel trap) throws IOException {
    int n = 0;
    for (SocketChannel c; (c = trap.accept()) != null; ) {
      c.close();
      n++;
    }
    return n;
  }
}
