package dev.ficus.grpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A grpc-java server interceptor for tests (see {@link DynamicGrpcServer}): records the whole
 * request metadata of every call, text and binary, and echoes each binary ({@code -bin}) request
 * entry back twice, as a response header of the same name and as the trailer
 * {@code trailer-NAME}. Runs on gRPC's threads; thread-safe.
 */
final class MetadataCapture implements ServerInterceptor {
  private final LinkedBlockingQueue<Metadata> calls = new LinkedBlockingQueue<>();

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    Metadata copy = new Metadata();
    copy.merge(headers);
    calls.add(copy);
    ServerCall<Q, R> echoing = new SimpleForwardingServerCall<>(call) {
      @Override
      public void sendHeaders(Metadata responseHeaders) {
        for (String k : binaryKeys(copy)) {
          Metadata.Key<byte[]> key = Metadata.Key.of(k, Metadata.BINARY_BYTE_MARSHALLER);
          copy.getAll(key).forEach(v -> responseHeaders.put(key, v));
        }
        super.sendHeaders(responseHeaders);
      }

      @Override
      public void close(Status status, Metadata trailers) {
        for (String k : binaryKeys(copy)) {
          Metadata.Key<byte[]> key = Metadata.Key.of(k, Metadata.BINARY_BYTE_MARSHALLER);
          Metadata.Key<byte[]> echo = Metadata.Key.of("trailer-" + k, Metadata.BINARY_BYTE_MARSHALLER);
          copy.getAll(key).forEach(v -> trailers.put(echo, v));
        }
        super.close(status, trailers);
      }
    };
    return next.startCall(echoing, headers);
  }

  private static List<String> binaryKeys(Metadata md) {
    return md.keys().stream().filter(k -> k.endsWith(Metadata.BINARY_HEADER_SUFFIX)).toList();
  }

  /** The request metadata of the next call, waiting up to 5 s; null if none came. */
  Metadata next() throws InterruptedException {
    return calls.poll(5, TimeUnit.SECONDS);
  }

  /** The request metadata of the next call as name → values, binary values as padded base64. */
  Map<String, List<String>> nextAsText() throws InterruptedException {
    Metadata md = next();
    if (md == null) {
      return null;
    }
    Map<String, List<String>> out = new TreeMap<>();
    for (String k : md.keys()) {
      List<String> vs = new ArrayList<>();
      if (k.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        md.getAll(Metadata.Key.of(k, Metadata.BINARY_BYTE_MARSHALLER))
            .forEach(v -> vs.add(Base64.getEncoder().encodeToString(v)));
      } else {
        md.getAll(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER)).forEach(vs::add);
      }
      out.put(k, vs);
    }
    return out;
  }

  /** Whether no call arrives within {@code millis} (after the answer that would have needed one). */
  boolean noCallWithin(long millis) throws InterruptedException {
    return calls.poll(millis, TimeUnit.MILLISECONDS) == null;
  }

  void clear() {
    calls.clear();
  }
}
