package dev.ficus;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The tests' PKI (test resources {@code dev/ficus/grpc/tls/}, made by {@code make-certs.sh} there):
 * a CA, a server certificate for 127.0.0.1 and localhost, a client certificate, a certificate
 * for another host, and an unrelated CA.
 */
public final class TestPki {
  private TestPki() {}

  /** The bytes of a PKI file, e.g. {@code ca.pem}. */
  public static byte[] file(String name) {
    try (InputStream in = TestPki.class.getResourceAsStream("/dev/ficus/grpc/tls/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource dev/ficus/grpc/tls/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies PKI file {@code name} to {@code to}, creating folders. */
  public static void copy(String name, Path to) {
    try {
      Files.createDirectories(to.toAbsolutePath().getParent());
      Files.write(to, file(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A server-side SSLContext presenting {@code name}.pem with its {@code name}-key.pem. */
  public static SSLContext serverContext(String name) {
    try {
      Certificate cert = CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(file(name + ".pem")));
      String pem = new String(file(name + "-key.pem"), StandardCharsets.US_ASCII);
      byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
      PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("server", key, new char[0], new Certificate[] {cert});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot load the test PKI's " + name, e);
    }
  }
}
