package dev.ficus.samples.grpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records the request metadata of every call and adds the sample's response headers and
 * trailers (see {@link InventorySample}). Runs on gRPC's transport threads; thread-safe.
 */
final class MetadataRecorder implements ServerInterceptor {
  static final Metadata.Key<String> VERSION = Metadata.Key.of("x-inventory-version", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> INTERNAL = Metadata.Key.of("x-internal-token", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> TENANT = Metadata.Key.of("x-tenant", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> TENANT_ECHO = Metadata.Key.of("x-inventory-tenant", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> SERVED_BY = Metadata.Key.of("x-inventory-served-by", Metadata.ASCII_STRING_MARSHALLER);

  private final List<RecordedCall> calls = new CopyOnWriteArrayList<>();

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
    calls.add(new RecordedCall(call.getMethodDescriptor().getFullMethodName(), md));
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
    return List.copyOf(calls);
  }

  void clear() {
    calls.clear();
  }
}
