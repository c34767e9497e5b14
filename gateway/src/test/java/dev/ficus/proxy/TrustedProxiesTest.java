package dev.ficus.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  @Test
  void cidrBlocksAndSingleAddressesAreTrusted() throws Exception {
    TrustedProxies t = TrustedProxies.parse(List.of("10.0.0.0/8", "127.0.0.1", "fd00::/8"));
    assertThat(t.trusts(InetAddress.getByName("10.200.3.4"))).isTrue();
    assertThat(t.trusts(InetAddress.getByName("127.0.0.1"))).isTrue();
    assertThat(t.trusts(InetAddress.getByName("127.0.0.2"))).isFalse();
    assertThat(t.trusts(InetAddress.getByName("11.0.0.1"))).isFalse();
    assertThat(t.trusts(InetAddress.getByName("fd12::1"))).isTrue();
    assertThat(t.trusts(InetAddress.getByName("::1"))).isFalse();
  }

  @Test
  void nothingIsTrustedByDefault() throws Exception {
    assertThat(TrustedProxies.parse(List.of()).trusts(InetAddress.getByName("127.0.0.1"))).isFalse();
  }

  @Test
  void hostNamesAreRefused() {
    assertThatThrownBy(() -> TrustedProxies.parse(List.of("proxy.internal"))).hasMessageContaining("not an IP");
  }
}
