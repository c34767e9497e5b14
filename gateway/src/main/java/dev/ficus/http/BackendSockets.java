package dev.ficus.http;

import org.xnio.OptionMap;
import org.xnio.Options;

/**
 * Socket options of every connection the gateway opens to a backend (upstreams, SOAP services,
 * shadow targets, gRPC over Undertow's client). {@code TCP_NODELAY}: a request often leaves in
 * two small writes (headers, then body or a frame); with Nagle's algorithm the second waits for
 * the ACK of the first, which a peer with delayed ACKs holds for up to 40 ms. nginx and Envoy
 * set it on upstream connections too; Undertow's listener sets it on client connections.
 */
public final class BackendSockets {
  public static final OptionMap OPTIONS = OptionMap.create(Options.TCP_NODELAY, true);

  private BackendSockets() {}
}
