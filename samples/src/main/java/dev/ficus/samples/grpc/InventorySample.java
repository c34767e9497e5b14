package dev.ficus.samples.grpc;

import dev.ficus.samples.RunningSample;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sample legacy gRPC system: {@code inventory.v1.Inventory} (contract {@code proto/inventory.proto})
 * served by grpc-java over plaintext HTTP/2 on one loopback port, with server reflection.
 *
 * <p>Seeded items (all updated at 2026-01-15T10:00:00Z): {@code warehouses/main/items/hammer}
 * (TOOLS, 10 on hand), {@code warehouses/main/items/rake} (GARDEN, 3, discontinued),
 * {@code warehouses/main/items/kettle} (KITCHEN, 0, restocked 2026-02-01) and
 * {@code warehouses/east/items/hammer} (TOOLS, 5). Special item ids: {@code slow} answers after
 * {@link InventoryService#SLOW_MILLIS} ms, {@code secret} is PERMISSION_DENIED, {@code broken}
 * fails with UNKNOWN. Errors carry {@code google.rpc.Status} details (ErrorInfo, ResourceInfo,
 * BadRequest, PreconditionFailure, RetryInfo, QuotaFailure); see {@link InventoryService}.
 *
 * <p>Every call's request metadata is recorded (the latest 10 000 calls: {@link #recordedCalls()}); every response
 * carries the headers {@code x-inventory-version: 2026.1} and {@code x-internal-token} (which a
 * gateway should not pass on) and the trailer {@code x-inventory-served-by: sample}; a request
 * header {@code x-tenant} is echoed as the response header {@code x-inventory-tenant}.
 * Thread-safe; {@link #close()} is idempotent.
 */
public final class InventorySample implements RunningSample {

  /** Which server reflection services are registered. */
  public enum Reflection {
    /** grpc.reflection.v1 and grpc.reflection.v1alpha (the default). */
    V1_AND_V1ALPHA,
    /** Only the older grpc.reflection.v1alpha, like servers built before 2023. */
    V1ALPHA_ONLY,
    /** None. */
    NONE
  }

  private final Server server;
  private final String host;
  private final MetadataRecorder recorder;

  private InventorySample(Server server, String host, MetadataRecorder recorder) {
    this.server = server;
    this.host = host;
    this.recorder = recorder;
  }

  /** Starts with both reflection services; see {@link #start(String, int, Reflection)}. */
  public static InventorySample start(String host, int port) {
    return start(host, port, Reflection.V1_AND_V1ALPHA);
  }

  /**
   * Starts the service on {@code host:port} and returns once it accepts calls.
   *
   * @param port a TCP port 0..65535; 0 picks a free one ({@link #port()} tells which)
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static InventorySample start(String host, int port, Reflection reflection) {
    return start(host, port, reflection, InsecureServerCredentials.create());
  }

  /**
   * Starts the service with {@code credentials} (e.g. {@code TlsServerCredentials}, for TLS and
   * mutual TLS) on {@code host:port}; otherwise as {@link #start(String, int, Reflection)}.
   */
  public static InventorySample start(String host, int port, Reflection reflection, ServerCredentials credentials) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    MetadataRecorder recorder = new MetadataRecorder();
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port), credentials)
        .addService(ServerInterceptors.intercept(new InventoryService(), recorder))
        // Gateways keep idle channels alive with pings; allow them more often than the default 5 min.
        .permitKeepAliveTime(5, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true);
    if (reflection == Reflection.V1_AND_V1ALPHA) {
      builder.addService(ProtoReflectionServiceV1.newInstance());
    }
    if (reflection != Reflection.NONE) {
      @SuppressWarnings("deprecation")
      var v1alpha = ProtoReflectionService.newInstance();
      builder.addService(v1alpha);
    }
    Server server = builder.build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
    return new InventorySample(server, host, recorder);
  }

  /** The port actually bound. */
  public int port() {
    return server.getPort();
  }

  /** {@code host:port}, the form gRPC channels take. */
  public String target() {
    return host + ":" + port();
  }

  @Override
  public Map<String, String> urls() {
    return Map.of("grpc.inventory", target());
  }

  /** The calls received so far (the latest 10 000), oldest first. */
  public List<RecordedCall> recordedCalls() {
    return recorder.calls();
  }

  public void clearRecordedCalls() {
    recorder.clear();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
