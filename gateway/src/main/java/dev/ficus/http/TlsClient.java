package dev.ficus.http;

import io.undertow.protocols.ssl.UndertowXnioSsl;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.xnio.OptionMap;
import org.xnio.Xnio;
import org.xnio.ssl.XnioSsl;

/**
 * TLS for Ficus's connections to HTTP backends on Undertow's client: the server's certificate
 * must chain to the JVM's trusted CAs (or to the CAs of a given PEM file) and must name the host
 * that was dialled. Undertow's own {@link UndertowXnioSsl} checks the chain only; the host name
 * check (RFC 2818, as browsers and the JDK's {@code HttpClient} do it) is added here.
 */
public final class TlsClient {
  private TlsClient() {}

  /** Client-side TLS trusting the CAs in {@code caPem} (PEM certificates), or the JVM's when null. */
  public static XnioSsl xnioSsl(byte[] caPem) throws GeneralSecurityException {
    return new UndertowXnioSsl(Xnio.getInstance(), OptionMap.EMPTY, context(caPem));
  }

  /** The SSLContext behind {@link #xnioSsl}: its engines check the peer's host name. */
  static SSLContext context(byte[] caPem) throws GeneralSecurityException {
    SSLContext base;
    if (caPem == null) {
      base = SSLContext.getDefault();
    } else {
      base = SSLContext.getInstance("TLS");
      base.init(null, trustManagers(caPem), new SecureRandom());
    }
    return new HostCheckingContext(base);
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

  /** An SSLContext whose client engines verify the peer's host name. */
  private static final class HostCheckingContext extends SSLContext {
    HostCheckingContext(SSLContext delegate) {
      super(new Spi(delegate), delegate.getProvider(), delegate.getProtocol());
    }
  }

  private static final class Spi extends SSLContextSpi {
    private final SSLContext delegate;

    Spi(SSLContext delegate) {
      this.delegate = delegate;
    }

    private static SSLEngine checking(SSLEngine e) {
      SSLParameters p = e.getSSLParameters();
      p.setEndpointIdentificationAlgorithm("HTTPS");
      e.setSSLParameters(p);
      return e;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
      throw new KeyManagementException("already initialised");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return delegate.getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return delegate.getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return checking(delegate.createSSLEngine());
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return checking(delegate.createSSLEngine(host, port));
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return delegate.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return delegate.getClientSessionContext();
    }
  }
}
