package dev.ficus.proxy;

import dev.ficus.http.Http1Pools;
import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;

/**
 * The connection pools of one upstream: Undertow's proxy client (WebSocket handshakes) and the
 * lean HTTP/1.1 path's pools ({@link Http1Exchange}, everything else).
 * Built once per upstream by {@link UpstreamHandler#client} and kept across reloads. Thread-safe.
 */
public final class UpstreamPools {
  final LoadBalancingProxyClient proxy;
  final Http1Pools http1;

  UpstreamPools(LoadBalancingProxyClient proxy, Http1Pools http1) {
    this.proxy = proxy;
    this.http1 = http1;
  }
}
