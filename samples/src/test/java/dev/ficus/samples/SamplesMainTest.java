package dev.ficus.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplesMainTest {

  @Test
  void announcesEveryUrlThenReady() throws IOException {
    int port = freePort();
    int monolithPort = freePort();
    int newServicePort = freePort();
    List<RunningSample> running = SamplesMain.start(SamplesOptions.parse(
        "--soap-port", Integer.toString(port),
        "--monolith-port=" + monolithPort, "--new-service-port", Integer.toString(newServicePort),
        "--grpc-port", "0"));
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      SamplesMain.announce(running, new PrintStream(out, true, StandardCharsets.UTF_8));

      assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
          "soap.customers http://127.0.0.1:" + port + "/ws/customers",
          "soap.customers12 http://127.0.0.1:" + port + "/ws/customers12",
          "soap.calculator http://127.0.0.1:" + port + "/ws/calculator",
          "soap.echo http://127.0.0.1:" + port + "/ws/echo",
          "http.monolith http://127.0.0.1:" + monolithPort,
          "http.new-customers http://127.0.0.1:" + newServicePort,
          "grpc.inventory " + running.get(2).urls().get("grpc.inventory"),
          "READY");
      assertThat(running.get(2).urls().get("grpc.inventory")).matches("127\\.0\\.0\\.1:[1-9][0-9]*");
    } finally {
      running.forEach(RunningSample::close);
    }
  }

  @Test
  void anyFreeHttpPortIsAnnouncedAsTheRealOne() throws IOException {
    List<RunningSample> running = SamplesMain.start(SamplesOptions.parse(
        "--soap-port", Integer.toString(freePort()), "--monolith-port", "0",
        "--new-service-port", "0", "--grpc-port", "0"));
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      SamplesMain.announce(running, new PrintStream(out, true, StandardCharsets.UTF_8));

      assertThat(out.toString(StandardCharsets.UTF_8).lines())
          .filteredOn(line -> line.startsWith("http."))
          .hasSize(2)
          .allMatch(line -> line.matches("http\\.\\S+ http://127\\.0\\.0\\.1:[1-9]\\d*"));
    } finally {
      running.forEach(RunningSample::close);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
