package dev.ficus.grpc;

import static dev.ficus.grpc.GrpcFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.samples.grpc.InventorySample;
import dev.ficus.server.GatewayServer;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One channel per target, reused; several addresses balanced round-robin. */
class GrpcChannelsTest {
  @TempDir
  Path tmp;

  @Test
  void theSameTargetGetsTheSameChannel() {
    try (GrpcChannels channels = new GrpcChannels()) {
      ManagedChannel a = channels.channel(new GrpcChannels.Key("127.0.0.1:7102", null, null));
      ManagedChannel b = channels.channel(new GrpcChannels.Key("127.0.0.1:7102", null, null));
      ManagedChannel c = channels.channel(new GrpcChannels.Key("127.0.0.1:7102", null, Duration.ofSeconds(30)));
      byte[] ca = dev.ficus.TestPki.file("ca.pem");
      ManagedChannel d = channels.channel(new GrpcChannels.Key("127.0.0.1:7102",
          new GrpcChannels.Tls(null, null, null, null), null));
      ManagedChannel e = channels.channel(new GrpcChannels.Key("127.0.0.1:7102",
          new GrpcChannels.Tls(ca, null, null, null), null));
      ManagedChannel f = channels.channel(new GrpcChannels.Key("127.0.0.1:7102",
          new GrpcChannels.Tls(ca.clone(), null, null, null), null));
      assertThat(a).isSameAs(b).isNotSameAs(c).isNotSameAs(d);
      assertThat(e).as("TLS settings are compared by content").isSameAs(f).isNotSameAs(d);
      assertThat(channels.size()).isEqualTo(4);
      channels.close();
      assertThat(a.isShutdown()).isTrue();
    }
  }

  @Test
  void targetsAreCheckedBeforeUse() {
    assertThat(GrpcChannels.checkTarget("127.0.0.1:7102")).isNull();
    assertThat(GrpcChannels.checkTarget("a:1, b:2")).isNull();
    assertThat(GrpcChannels.checkTarget("dns:///inventory.internal:443")).isNull();
    assertThat(GrpcChannels.checkTarget("a:1,b")).isEqualTo("'b' is not host:port (port 1..65535)");
    assertThat(GrpcChannels.checkTarget("a:99999")).contains("is not host:port");
  }

  @Test
  void severalAddressesAreCalledRoundRobin() {
    Path config = GrpcFixture.workspace(tmp);
    try (InventorySample one = InventorySample.start("127.0.0.1", 0);
        InventorySample two = InventorySample.start("127.0.0.1", 0)) {
      GrpcFixture.write(config, "inventory.yaml", """
          ficus: mapping/v1
          backend:
            grpc:
              target: %s,%s
              proto: ../proto/inventory.proto
          """.formatted(one.target(), two.target()));
      try (GatewayServer gw = GrpcFixture.start(config)) {
        for (int i = 0; i < 10; i++) {
          assertThat(get(gw, "/v1/warehouses/main/items/hammer").statusCode()).isEqualTo(200);
        }
        assertThat(one.recordedCalls()).hasSizeBetween(3, 7);
        assertThat(two.recordedCalls()).hasSizeBetween(3, 7);
      }
    }
  }
}
