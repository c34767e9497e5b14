package dev.ficus.grpc;

import io.grpc.Attributes;
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
  /** Replies larger than this are refused by the channel (RESOURCE_EXHAUSTED). */
  static final int MAX_REPLY_BYTES = 16 * 1024 * 1024;
  private static final String STATIC = "ficus-static";

  /** What makes two channels different. */
  record Key(String target, boolean tls, Duration keepAlive) {}

  private final Map<Key, ManagedChannel> channels = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** The channel for {@code key}; created on first use. Throws {@link IllegalStateException} once closed. */
  ManagedChannel channel(Key key) {
    if (closed) {
      throw new IllegalStateException("the gRPC channels are closed");
    }
    return channels.computeIfAbsent(key, k -> {
      ManagedChannel c = open(k);
      // Start connecting now (without waiting), so the first request does not pay for it.
      c.getState(true);
      return c;
    });
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
      b = NettyChannelBuilder.forTarget(STATIC + ":///" + key.target().split(",")[0].trim())
          .nameResolverFactory(new StaticResolverFactory(groups, key.target().split(",")[0].trim()));
    } else {
      b = NettyChannelBuilder.forTarget(key.target());
    }
    if (key.tls()) {
      b.useTransportSecurity();
    } else {
      b.usePlaintext();
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

  /** Number of open channels (for tests and the admin view). */
  int size() {
    return channels.size();
  }

  @Override
  public void close() {
    closed = true;
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }
}
