package dev.ficus.grpc;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * A grpc-java server on a loopback port that serves every method of the given services from
 * their descriptors alone ({@code DynamicMessage}, no generated code), for protos such as
 * Google's that the tests load as text. Each request message that arrives is recorded as
 * {@code Service/Method {json}}; each is answered by {@code reply} (a unary or client-streaming
 * call answers its last request; a server or bidirectional stream answers each request with one
 * message). Interceptors given to the constructor see every call (to record or add metadata).
 * Thread-safe; close it to stop.
 */
final class DynamicGrpcServer implements AutoCloseable {
  /** A reply of the method's output type to one request. */
  interface Replier extends BiFunction<MethodDescriptor, DynamicMessage, DynamicMessage> {}

  /** Replies with the empty message of the output type. */
  static final Replier EMPTY = (m, req) -> DynamicMessage.getDefaultInstance(m.getOutputType());

  private final Server server;
  private final List<ServiceDescriptor> services;
  private final LinkedBlockingQueue<String> arrived = new LinkedBlockingQueue<>();

  DynamicGrpcServer(List<ServiceDescriptor> services, Replier reply, io.grpc.ServerInterceptor... interceptors) {
    this.services = List.copyOf(services);
    NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
    for (ServiceDescriptor s : services) {
      ServerServiceDefinition.Builder def = ServerServiceDefinition.builder(s.getFullName());
      for (MethodDescriptor m : s.getMethods()) {
        def.addMethod(GrpcMappingCompiler.grpcMethod(m).toBuilder(
            ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(m.getInputType())),
            ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(m.getOutputType()))).build(),
            handler(m, reply));
      }
      b.addService(io.grpc.ServerInterceptors.intercept(def.build(), interceptors));
    }
    try {
      server = b.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private io.grpc.ServerCallHandler<DynamicMessage, DynamicMessage> handler(MethodDescriptor m, Replier reply) {
    if (!m.isClientStreaming()) {
      return m.isServerStreaming()
          ? ServerCalls.asyncServerStreamingCall((req, out) -> answer(m, reply, req, out))
          : ServerCalls.asyncUnaryCall((req, out) -> answer(m, reply, req, out));
    }
    return m.isServerStreaming() ? ServerCalls.asyncBidiStreamingCall(out -> requests(m, reply, out))
        : ServerCalls.asyncClientStreamingCall(out -> requests(m, reply, out));
  }

  /** One request, one reply. */
  private void answer(MethodDescriptor m, Replier reply, DynamicMessage req, StreamObserver<DynamicMessage> out) {
    record(m, req);
    out.onNext(reply.apply(m, req));
    out.onCompleted();
  }

  /** The request side of a client or bidirectional stream. */
  private StreamObserver<DynamicMessage> requests(MethodDescriptor m, Replier reply,
      StreamObserver<DynamicMessage> out) {
    return new StreamObserver<>() {
      DynamicMessage last;

      @Override
      public void onNext(DynamicMessage req) {
        record(m, req);
        last = req;
        if (m.isServerStreaming()) {
          out.onNext(reply.apply(m, req));
        }
      }

      @Override
      public void onError(Throwable t) {
        // the client cancelled: nothing to answer
      }

      @Override
      public void onCompleted() {
        if (!m.isServerStreaming()) {
          out.onNext(reply.apply(m, last != null ? last : DynamicMessage.getDefaultInstance(m.getInputType())));
        }
        out.onCompleted();
      }
    };
  }

  private void record(MethodDescriptor m, DynamicMessage req) {
    try {
      arrived.add(m.getService().getName() + "/" + m.getName() + " "
          + JsonFormat.printer().omittingInsignificantWhitespace().print(req));
    } catch (InvalidProtocolBufferException e) {
      arrived.add(m.getService().getName() + "/" + m.getName() + " (unprintable: " + e.getMessage() + ")");
    }
  }

  /**
   * The inventory service of {@code root}/proto/inventory.proto (a {@link GrpcFixture#workspace}),
   * answering every call with the empty reply, seen by {@code interceptors}.
   */
  static DynamicGrpcServer inventory(Path root, io.grpc.ServerInterceptor... interceptors) {
    try {
      return new DynamicGrpcServer(ProtoTextLoader.load(root.resolve("proto/inventory.proto"),
          List.of(root.resolve("proto")), root).services(), EMPTY, interceptors);
    } catch (DescriptorProblem e) {
      throw new IllegalStateException(e);
    }
  }

  int port() {
    return server.getPort();
  }

  /** {@code 127.0.0.1:port}, a mapping's target. */
  String target() {
    return "127.0.0.1:" + server.getPort();
  }

  /** The next request message that arrived ({@code Service/Method {json}}), waiting up to 5 s; null if none. */
  String next() throws InterruptedException {
    return arrived.poll(5, TimeUnit.SECONDS);
  }

  /** How many methods the service {@code fullName} has. */
  int methodsOf(String fullName) {
    return services.stream().filter(s -> s.getFullName().equals(fullName)).findFirst().orElseThrow()
        .getMethods().size();
  }

  /** Whatever arrived and was not taken yet. */
  List<String> drain() {
    List<String> out = new java.util.ArrayList<>();
    arrived.drainTo(out);
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
