package dev.ficus.samples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class HttpSamplesTest {

  @Test
  void startsBothSystemsAndNamesTheirUrls() {
    try (HttpSamples samples = HttpSamples.start("127.0.0.1", 0, 0)) {
      assertThat(samples.monolithUrl()).matches("http://127\\.0\\.0\\.1:\\d+")
          .isEqualTo(samples.monolith().baseUrl());
      assertThat(samples.newCustomersUrl()).isEqualTo(samples.newCustomers().baseUrl())
          .isNotEqualTo(samples.monolithUrl());
      assertThat(samples.urls()).containsExactly(
          entry("http.monolith", samples.monolithUrl()),
          entry("http.new-customers", samples.newCustomersUrl()));
      assertThat(Http.get(samples.monolithUrl() + "/health").statusCode()).isEqualTo(200);
      assertThat(Http.get(samples.newCustomersUrl() + "/health").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void closeFreesBothPorts() throws IOException {
    int monolithPort = Http.freePort();
    int servicePort = Http.freePort();
    HttpSamples.start("127.0.0.1", monolithPort, servicePort).close();

    try (ServerSocket a = new ServerSocket(monolithPort, 1, InetAddress.getLoopbackAddress());
        ServerSocket b = new ServerSocket(servicePort, 1, InetAddress.getLoopbackAddress())) {
      assertThat(a.getLocalPort()).isEqualTo(monolithPort);
      assertThat(b.getLocalPort()).isEqualTo(servicePort);
    }
  }

  @Test
  void busyPortFailsTheStartAndLeavesNothingRunning() throws IOException {
    int monolithPort = Http.freePort();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> HttpSamples.start("127.0.0.1", monolithPort, taken.getLocalPort()))
          .isInstanceOf(RuntimeException.class);
    }
    try (ServerSocket again = new ServerSocket(monolithPort, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(monolithPort);
    }
  }

  @Test
  void portOutOfRangeIsRefused() {
    assertThatThrownBy(() -> HttpSamples.start("127.0.0.1", 70000, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..65535");
  }
}
