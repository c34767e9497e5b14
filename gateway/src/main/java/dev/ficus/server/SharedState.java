package dev.ficus.server;

import dev.ficus.migration.Inventory;
import dev.ficus.migration.Parity;
import dev.ficus.config.Specs;
import dev.ficus.config.Specs.UpstreamSpec;
import dev.ficus.http.BodyBudget;
import dev.ficus.migration.ShadowBudget;
import dev.ficus.migration.ShadowClient;
import dev.ficus.proxy.UpstreamHandler;
import dev.ficus.proxy.UpstreamPools;
import dev.ficus.soap.SoapClient;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What outlives one compiled configuration: backend clients and their threads (SOAP, shadow
 * copies, gRPC channels), the migration
 * inventory and the parity counters (kept per route key, so a reload does not reset them), and
 * the memory budgets of request bodies being read and of shadow copies (sized at start from
 * {@code limits}).
 * Thread-safe. Closed with the server.
 */
public final class SharedState implements AutoCloseable {
  private final SoapClient soapClient;
  private final ShadowClient shadowClient = new ShadowClient();
  private final ShadowBudget shadowBudget;
  private final ConcurrentHashMap<String, UpstreamPools> upstreamPools = new ConcurrentHashMap<>();
  private final Inventory inventory = new Inventory(10_000);
  private final ConcurrentHashMap<String, Parity> parities = new ConcurrentHashMap<>();
  private final dev.ficus.grpc.GrpcChannels grpcChannels = new dev.ficus.grpc.GrpcChannels();

  private final int ioThreads;
  private final BodyBudget bodyBudget;

  /** {@code ioThreads}: the listener's IO thread count, over which upstream connection limits are spread. */
  public SharedState(long maxResponseBytes, int ioThreads) {
    this(maxResponseBytes, ioThreads, Specs.EdgeLimits.DEFAULTS);
  }

  /** As above, with the process-wide budgets sized from the gateway's {@code limits} at start (a reload keeps them). */
  public SharedState(long maxResponseBytes, int ioThreads, Specs.EdgeLimits edge) {
    this.soapClient = new SoapClient(maxResponseBytes);
    this.ioThreads = ioThreads;
    this.bodyBudget = new BodyBudget(edge.bodyMemoryBytes());
    this.shadowBudget = new ShadowBudget(edge.shadowMemory(), edge.shadowInFlight());
  }

  public SoapClient soapClient() {
    return soapClient;
  }

  /**
   * The connection pools of a plain HTTP upstream, shared by every configuration that names the
   * same URLs, connection limit and CA, so a reload keeps the open keep-alive connections
   * instead of abandoning one set of pools per reload.
   */
  public UpstreamPools upstreamPool(UpstreamSpec u) {
    String key = u.urls() + "|" + u.maxConnections() + "|" + (u.caPem() == null ? "" : dev.ficus.http.TlsClient.fingerprint(u.caPem()));
    return upstreamPools.computeIfAbsent(key, k -> UpstreamHandler.client(u, ioThreads));
  }

  /** Shadow copies' client: Undertow's, on the IO threads; its idle connections survive reloads. */
  public ShadowClient shadowClient() {
    return shadowClient;
  }

  /** gRPC channels by target, reused across reloads so connections survive them. */
  public dev.ficus.grpc.GrpcChannels grpcChannels() {
    return grpcChannels;
  }

  /** The bytes request bodies of mapped routes hold while being read, over every configuration. */
  public BodyBudget bodyBudget() {
    return bodyBudget;
  }

  public Inventory inventory() {
    return inventory;
  }

  /**
   * The parity counters of a shadowed route, created on first use, with the route's share of the
   * shadow budget: copies still in flight from before a reload count against the same route.
   */
  public Parity parity(String routeKey, int samples) {
    return parities.computeIfAbsent(routeKey, k -> {
      int arrow = k.lastIndexOf(" -> ");
      return new Parity(k.substring(0, arrow), k.substring(arrow + 4), samples, shadowBudget.route());
    });
  }

  /** What shadow copies may hold and how many may be in flight, over every route. */
  public ShadowBudget shadowBudget() {
    return shadowBudget;
  }

  @Override
  public void close() {
    grpcChannels.close();
    soapClient.close();
    shadowClient.close();
  }
}
