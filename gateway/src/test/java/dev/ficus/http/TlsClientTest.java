package dev.ficus.http;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ficus.TestPki;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

class TlsClientTest {
  private static X509Certificate[] chain(String name) throws Exception {
    return new X509Certificate[] {(X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(TestPki.file(name)))};
  }

  @Test
  void aCaFileTrustsWhatItsCaSignedAndNothingElse() throws Exception {
    X509TrustManager byTestCa = (X509TrustManager) TlsClient.trustManagers(TestPki.file("ca.pem"))[0];
    X509TrustManager byOtherCa = (X509TrustManager) TlsClient.trustManagers(TestPki.file("other-ca.pem"))[0];

    assertThatCode(() -> byTestCa.checkServerTrusted(chain("server.pem"), "RSA")).doesNotThrowAnyException();
    assertThatThrownBy(() -> byOtherCa.checkServerTrusted(chain("server.pem"), "RSA"))
        .isInstanceOf(CertificateException.class);
  }

  @Test
  void aCaFileWithoutCertificatesIsRefused() {
    assertThatThrownBy(() -> TlsClient.trustManagers("nothing".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(GeneralSecurityException.class);
  }
}
