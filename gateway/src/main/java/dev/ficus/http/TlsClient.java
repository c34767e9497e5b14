package dev.ficus.http;

import io.undertow.protocols.ssl.UndertowXnioSsl;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.xnio.OptionMap;
import org.xnio.Xnio;
import org.xnio.ssl.XnioSsl;

/**
 * TLS for Ficus's connections to HTTP backends on Undertow's client: the server's certificate
 * must chain to the JVM's trusted CAs (or to the CAs of a given PEM file). It must also name the
 * host that was dialled: Undertow's {@link UndertowXnioSsl} sets the HTTPS endpoint
 * identification on its client engines itself (unless the system property
 * {@code io.undertow.client.https.disableEndpointIdentification} turns it off).
 */
public final class TlsClient {
  private TlsClient() {}

  /** Client-side TLS trusting the CAs in {@code caPem} (PEM certificates), or the JVM's when null. */
  public static XnioSsl xnioSsl(byte[] caPem) throws GeneralSecurityException {
    return new UndertowXnioSsl(Xnio.getInstance(), OptionMap.EMPTY, context(caPem));
  }

  /** The SSLContext behind {@link #xnioSsl}. */
  static SSLContext context(byte[] caPem) throws GeneralSecurityException {
    if (caPem == null) {
      return SSLContext.getDefault();
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, trustManagers(caPem), new SecureRandom());
    return ctx;
  }

  /** SHA-256 of a PEM file's bytes, hex: tells two CA files apart in cache keys. */
  public static String fingerprint(byte[] pem) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(pem));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }

  /** Trust managers for the certificates of a PEM file; throws when it holds none. */
  public static TrustManager[] trustManagers(byte[] caPem) throws GeneralSecurityException {
    Collection<? extends Certificate> cas = CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(caPem));
    if (cas.isEmpty()) {
      throw new GeneralSecurityException("no PEM certificate found");
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    int i = 0;
    for (Certificate c : cas) {
      store.setCertificateEntry("ca-" + i++, c);
    }
    TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(store);
    return f.getTrustManagers();
  }
}
