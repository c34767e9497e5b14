package dev.ficus.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

class TlsClientTest {
  @Test
  void enginesCheckTheHostNameWithTheJvmsCasAndWithACaFile() throws Exception {
    byte[] ca = dev.ficus.TestPki.file("ca.pem");
    for (byte[] pem : new byte[][] {null, ca}) {
      SSLEngine e = TlsClient.context(pem).createSSLEngine("backend.example", 443);
      assertThat(e.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
      assertThat(e.getPeerHost()).isEqualTo("backend.example");
    }
  }

  @Test
  void aCaFileWithoutCertificatesIsRefused() {
    assertThatThrownBy(() -> TlsClient.trustManagers("nothing".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(GeneralSecurityException.class);
  }
}
