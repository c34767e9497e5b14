package dev.ficus.samples.grpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records the request metadata of the latest {@link #KEPT} calls and adds the sample's response headers and
 * trailers (see {@link InventorySample}). Runs on gRPC's transport threads; thread-safe.
 */
final class MetadataRecorder implements ServerInterceptor {
  static final Metadata.Key<String> VERSION = Metadata.Key.of("x-inventory-version", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> INTERNAL = Metadata.Key.of("x-internal-token", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> TENANT = Metadata.Key.of("x-tenant", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> TENANT_ECHO = Metadata.Key.of("x-inventory-tenant", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> SERVED_BY = Metadata.Key.of("x-inventory-served-by", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * How many calls are kept. Bounded, and not a copy-on-write list, because the sample also
   * serves load tests (gateway/bench/grpc.sh): copying every recorded call on each new one made
   * each call slower than the last, hundreds of microseconds after a few hundred thousand calls.
   */
  static final int KEPT = 10_000;

  private final ArrayDeque<RecordedCall> calls = new ArrayDeque<>();

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    Map<String, List<String>> md = new LinkedHashMap<>();
    for (String key : headers.keys()) {
      if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        List<String> values = new ArrayList<>();
        headers.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER)).forEach(values::add);
        md.put(key, values);
      }
    }
    RecordedCall recorded = new RecordedCall(call.getMethodDescriptor().getFullMethodName(), md);
    synchronized (calls) {
      if (calls.size() == KEPT) {
        calls.removeFirst();
      }
      calls.addLast(recorded);
    }
    String tenant = headers.get(TENANT);
    ServerCall<Q, R> decorated = new SimpleForwardingServerCall<>(call) {
      @Override
      public void sendHeaders(Metadata responseHeaders) {
        responseHeaders.put(VERSION, "2026.1");
        responseHeaders.put(INTERNAL, "do-not-forward");
        if (tenant != null) {
          responseHeaders.put(TENANT_ECHO, tenant);
        }
        super.sendHeaders(responseHeaders);
      }

      @Override
      public void close(Status status, Metadata trailers) {
        trailers.put(SERVED_BY, "sample");
        super.close(status, trailers);
      }
    };
    return next.startCall(decorated, headers);
  }

  List<RecordedCall> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  void clear() {
    synchronized (calls) {
      calls.clear();
    }
  }
}
