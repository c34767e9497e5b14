package dev.ficus.grpc;

import io.grpc.Attributes;
import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Objects;
import io.grpc.EquivalentAddressGroup;
import io.grpc.ManagedChannel;
import io.grpc.NameResolver;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC channels of a gateway process: one {@link ManagedChannel} per backend target (and
 * TLS / keep-alive setting), created on first use and shared by every route and every reloaded
 * configuration that calls it, so connections and HTTP/2 streams are reused. A target of
 * several comma-separated {@code host:port} addresses is balanced round-robin; other targets
 * ({@code host:port}, {@code dns:///name:port}) use gRPC's resolvers with round-robin too.
 * Channels ping idle connections ({@code keepAlive}) and drop them after {@link #IDLE}.
 * Thread-safe.
 */
public final class GrpcChannels implements AutoCloseable {
  static final Duration DEFAULT_KEEP_ALIVE = Duration.ofMinutes(2);
  static final Duration IDLE = Duration.ofMinutes(10);
  /**
   * The channel's own limit on a reply message, for calls that set none (reflection); the
   * mappings' calls set {@code limits.maxResponseSize} on each call (see {@link ReplyLimit}).
   */
  static final int MAX_REPLY_BYTES = 16 * 1024 * 1024;
  private static final String STATIC = "ficus-static";

  /** What makes two channels different; {@code tls} null means plaintext. */
  record Key(String target, Tls tls, Duration keepAlive) {}

  /**
   * TLS settings of a channel, with the PEM contents read at compile time (so a reload that
   * changes a certificate file gets a new channel). All null: the JVM's trusted CAs, no client
   * certificate. Compared by content.
   */
  static final class Tls {
    private final byte[] ca;
    private final byte[] cert;
    private final byte[] key;
    private final String authority;

    Tls(byte[] ca, byte[] cert, byte[] key, String authority) {
      this.ca = ca;
      this.cert = cert;
      this.key = key;
      this.authority = authority;
    }

    String authority() {
      return authority;
    }

    /** Why the PEM contents cannot be used, or null when they can: parsed here, not at first call. */
    String check() {
      try {
        for (byte[] pem : new byte[][] {ca, cert}) {
          if (pem != null && CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem)).isEmpty()) {
            return "no PEM certificate found";
          }
        }
      } catch (GeneralSecurityException e) {
        return "not a PEM certificate (" + e.getMessage() + ")";
      }
      if (key == null) {
        return null;
      }
      String text = new String(key, StandardCharsets.US_ASCII);
      int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
      int end = text.indexOf("-----END PRIVATE KEY-----");
      if (begin < 0 || end < begin) {
        return text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")
            ? "the key is PKCS#1/SEC1; convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem"
            : "the key is not an unencrypted PKCS#8 PEM private key";
      }
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(text.substring(begin + 27, end));
      } catch (IllegalArgumentException e) {
        return "the key's PEM is not valid base64";
      }
      for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
        try {
          KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
          return null;
        } catch (GeneralSecurityException tryNext) {
          // not this algorithm
        }
      }
      return "the key is not an RSA, EC or Ed25519 PKCS#8 private key";
    }

    /** The channel credentials; throws IllegalArgumentException when a PEM file cannot be used. */
    ChannelCredentials credentials() {
      if (ca == null && cert == null) {
        return TlsChannelCredentials.create();
      }
      TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
      try {
        if (ca != null) {
          b.trustManager(new ByteArrayInputStream(ca));
        }
        if (cert != null) {
          b.keyManager(new ByteArrayInputStream(cert), new ByteArrayInputStream(key));
        }
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
      }
      return b.build();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Tls t && Arrays.equals(ca, t.ca) && Arrays.equals(cert, t.cert) && Arrays.equals(key, t.key)
          && Objects.equals(authority, t.authority);
    }

    @Override
    public int hashCode() {
      return Objects.hash(Arrays.hashCode(ca), Arrays.hashCode(cert), Arrays.hashCode(key), authority);
    }

    @Override
    public String toString() {
      return ca == null && cert == null ? "tls" : "tls(custom)";
    }
  }

  private final Map<Key, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final Map<String, DirectUnaryClient> direct = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * The channel for {@code key}; created on first use, without connecting (compiling a
   * configuration opens no connection; {@link #activate} does). Throws
   * {@link IllegalStateException} once closed.
   */
  ManagedChannel channel(Key key) {
    if (closed) {
      throw new IllegalStateException("the gRPC channels are closed");
    }
    return channels.computeIfAbsent(key, GrpcChannels::open);
  }

  /**
   * Activation, after a configuration compiled and before it serves: every channel starts
   * connecting now (without waiting), so that the first request does not pay for it. A backend
   * that cannot be reached is not an error here: its calls answer 503 until it can. Any thread.
   */
  public void activate() {
    if (!closed) {
      channels.values().forEach(c -> c.getState(true));
    }
  }

  /**
   * Checks a target as written in a mapping; returns null when usable, else why not.
   * Accepted: {@code host:port}, {@code host1:port1,host2:port2}, or a URI such as {@code dns:///host:port}.
   */
  static String checkTarget(String target) {
    if (target == null || target.isBlank()) {
      return "'target' is empty; give host:port";
    }
    if (target.contains("://") || target.startsWith("dns:") || target.startsWith("unix:")) {
      try {
        new URI(target);
        return null;
      } catch (Exception e) {
        return "'" + target + "' is not a valid gRPC target URI";
      }
    }
    for (String a : target.split(",")) {
      if (address(a.trim()) == null) {
        return "'" + a.trim() + "' is not host:port (port 1..65535)";
      }
    }
    return null;
  }

  private static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      return null;
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      int port = Integer.parseInt(hostPort.substring(colon + 1));
      return port < 1 || port > 65535 ? null : InetSocketAddress.createUnresolved(host, port);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @SuppressWarnings("deprecation") // nameResolverFactory: the plain way to hand a channel a fixed address list
  private static ManagedChannel open(Key key) {
    NettyChannelBuilder b;
    if (key.target().contains(",")) {
      List<EquivalentAddressGroup> groups = new ArrayList<>();
      for (String a : key.target().split(",")) {
        InetSocketAddress u = address(a.trim());
        groups.add(new EquivalentAddressGroup(new InetSocketAddress(u.getHostString(), u.getPort())));
      }
      String first = STATIC + ":///" + key.target().split(",")[0].trim();
      b = (key.tls() == null ? NettyChannelBuilder.forTarget(first).usePlaintext()
          : NettyChannelBuilder.forTarget(first, key.tls().credentials()))
          .nameResolverFactory(new StaticResolverFactory(groups, key.target().split(",")[0].trim()));
    } else {
      b = key.tls() == null ? NettyChannelBuilder.forTarget(key.target()).usePlaintext()
          : NettyChannelBuilder.forTarget(key.target(), key.tls().credentials());
    }
    if (key.tls() != null && key.tls().authority() != null) {
      b.overrideAuthority(key.tls().authority());
    }
    Duration keepAlive = key.keepAlive() != null ? key.keepAlive() : DEFAULT_KEEP_ALIVE;
    return b.defaultLoadBalancingPolicy("round_robin")
        .keepAliveTime(keepAlive.toMillis(), TimeUnit.MILLISECONDS)
        .keepAliveTimeout(20, TimeUnit.SECONDS)
        .idleTimeout(IDLE.toMillis(), TimeUnit.MILLISECONDS)
        .maxInboundMessageSize(MAX_REPLY_BYTES)
        .userAgent("ficus")
        .build();
  }

  /** Resolves to a fixed list of addresses, once. */
  private static final class StaticResolverFactory extends NameResolver.Factory {
    private final List<EquivalentAddressGroup> groups;
    private final String authority;

    StaticResolverFactory(List<EquivalentAddressGroup> groups, String authority) {
      this.groups = List.copyOf(groups);
      this.authority = authority;
    }

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
      if (!STATIC.equals(targetUri.getScheme())) {
        return null;
      }
      return new NameResolver() {
        @Override
        public String getServiceAuthority() {
          return authority;
        }

        @Override
        public void start(Listener2 listener) {
          listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).setAttributes(Attributes.EMPTY).build());
        }

        @Override
        public void shutdown() {
        }
      };
    }

    @Override
    public String getDefaultScheme() {
      return STATIC;
    }
  }

  /**
   * The direct unary client of a plaintext {@code host:port} target (see {@link DirectUnaryClient}),
   * shared like the channels; null when the target needs grpc-java's name resolution.
   */
  DirectUnaryClient direct(String target) {
    if (closed || !DirectUnaryClient.supports(target)) {
      return null;
    }
    return direct.computeIfAbsent(target, DirectUnaryClient::new);
  }

  /** Number of open channels (for tests and the admin view). */
  int size() {
    return channels.size();
  }

  @Override
  public void close() {
    closed = true;
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
    direct.values().forEach(DirectUnaryClient::close);
    direct.clear();
  }
}
