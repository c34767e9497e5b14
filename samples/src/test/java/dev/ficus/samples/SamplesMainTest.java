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
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<RunningSample> running =
        SamplesMain.start(SamplesOptions.parse("--soap-port", Integer.toString(port), "--grpc-port", "0"));
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      SamplesMain.announce(running, new PrintStream(out, true, StandardCharsets.UTF_8));

      assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
          "soap.customers http://127.0.0.1:" + port + "/ws/customers",
          "soap.customers12 http://127.0.0.1:" + port + "/ws/customers12",
          "soap.calculator http://127.0.0.1:" + port + "/ws/calculator",
          "soap.echo http://127.0.0.1:" + port + "/ws/echo",
          "grpc.inventory " + running.get(1).urls().get("grpc.inventory"),
          "READY");
      assertThat(running.get(1).urls().get("grpc.inventory")).matches("127\\.0\\.0\\.1:[1-9][0-9]*");
    } finally {
      running.forEach(RunningSample::close);
    }
  }
}
