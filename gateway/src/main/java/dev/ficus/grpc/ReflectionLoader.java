package dev.ficus.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Fetches descriptors from a running server through gRPC server reflection: {@code
 * grpc.reflection.v1}, falling back to {@code grpc.reflection.v1alpha} when the server only has
 * the older one (both have the same messages, so one client serves both). Asks for the
 * services (all but reflection and health when none are named), the files that define them,
 * and any import still missing. Blocks the calling thread, so it runs at config compile time
 * only, bounded by {@code timeout}.
 */
final class ReflectionLoader {
  private static final String V1 = "grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
  private static final String V1ALPHA = "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";
  private static final int MAX_ROUNDS = 1_000;

  private ReflectionLoader() {}

  static ProtoSchema load(Channel channel, String target, List<String> services, Duration timeout)
      throws DescriptorProblem {
    try {
      return load(channel, V1, target, services, timeout);
    } catch (Unimplemented e) {
      try {
        return load(channel, V1ALPHA, target, services, timeout);
      } catch (Unimplemented again) {
        throw new DescriptorProblem("the server at " + target + " has no server reflection (neither "
            + "grpc.reflection.v1 nor v1alpha); turn it on or use 'proto:' or 'descriptorSet:'");
      }
    }
  }

  private static final class Unimplemented extends Exception {
    Unimplemented() {
      super(null, null, false, false);
    }
  }

  private static ProtoSchema load(Channel channel, String method, String target, List<String> services,
      Duration timeout) throws DescriptorProblem, Unimplemented {
    MethodDescriptor<ServerReflectionRequest, ServerReflectionResponse> md =
        MethodDescriptor.<ServerReflectionRequest, ServerReflectionResponse>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(method)
            .setRequestMarshaller(ProtoUtils.marshaller(ServerReflectionRequest.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(ServerReflectionResponse.getDefaultInstance()))
            .build();
    String origin = "reflection from " + target;
    try (Session s = new Session(channel.newCall(md,
        CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)), target, timeout)) {
      List<String> wanted = new ArrayList<>(services);
      if (wanted.isEmpty()) {
        ServerReflectionResponse r = s.ask(ServerReflectionRequest.newBuilder().setListServices("").build());
        for (ServiceResponse sr : r.getListServicesResponse().getServiceList()) {
          if (!sr.getName().startsWith("grpc.reflection.") && !sr.getName().startsWith("grpc.health.")) {
            wanted.add(sr.getName());
          }
        }
        if (wanted.isEmpty()) {
          throw new DescriptorProblem("the server at " + target + " lists no services through reflection");
        }
      }
      FileSetBuilder files = new FileSetBuilder(origin);
      for (String service : wanted) {
        ServerReflectionResponse r = s.ask(ServerReflectionRequest.newBuilder().setFileContainingSymbol(service).build());
        if (r.hasErrorResponse()) {
          throw new DescriptorProblem("the server at " + target + " does not know service '" + service + "': "
              + r.getErrorResponse().getErrorMessage());
        }
        add(files, r, origin);
      }
      for (int round = 0; round < MAX_ROUNDS; round++) {
        List<String> missing = files.missing();
        if (missing.isEmpty()) {
          return files.schema(wanted);
        }
        ServerReflectionResponse r = s.ask(ServerReflectionRequest.newBuilder().setFileByFilename(missing.get(0)).build());
        if (r.hasErrorResponse()) {
          throw new DescriptorProblem("the server at " + target + " cannot send '" + missing.get(0) + "': "
              + r.getErrorResponse().getErrorMessage());
        }
        add(files, r, origin);
        if (!files.has(missing.get(0))) {
          throw new DescriptorProblem("the server at " + target + " answered without '" + missing.get(0) + "'");
        }
      }
      throw new DescriptorProblem("the server at " + target + " sent more than " + MAX_ROUNDS + " files");
    }
  }

  private static void add(FileSetBuilder files, ServerReflectionResponse r, String origin) throws DescriptorProblem {
    for (ByteString b : r.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      try {
        files.add(FileDescriptorProto.parseFrom(b, BundledProtos.extensions()));
      } catch (InvalidProtocolBufferException e) {
        throw new DescriptorProblem(origin + ": a file descriptor does not parse: " + e.getMessage());
      }
    }
  }

  /** One reflection stream used request by request. */
  private static final class Session implements AutoCloseable {
    private final ClientCall<ServerReflectionRequest, ServerReflectionResponse> call;
    private final LinkedBlockingQueue<Object> replies = new LinkedBlockingQueue<>();
    private final String target;
    private final long deadline;

    Session(ClientCall<ServerReflectionRequest, ServerReflectionResponse> call, String target, Duration timeout) {
      this.call = call;
      this.target = target;
      this.deadline = System.nanoTime() + timeout.toNanos();
      call.start(new ClientCall.Listener<>() {
        @Override
        public void onMessage(ServerReflectionResponse message) {
          replies.add(message);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
          replies.add(status);
        }
      }, new Metadata());
    }

    ServerReflectionResponse ask(ServerReflectionRequest request) throws DescriptorProblem, Unimplemented {
      call.request(1);
      call.sendMessage(request);
      Object reply;
      try {
        reply = replies.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DescriptorProblem("interrupted while asking " + target + " for descriptors");
      }
      if (reply instanceof ServerReflectionResponse r) {
        return r;
      }
      if (reply == null) {
        throw new DescriptorProblem("the server at " + target + " did not answer the reflection request in time");
      }
      Status st = (Status) reply;
      if (st.getCode() == Status.Code.UNIMPLEMENTED) {
        throw new Unimplemented();
      }
      if (st.getCode() == Status.Code.UNAVAILABLE) {
        throw new DescriptorProblem("cannot reach " + target + " for server reflection: "
            + (st.getDescription() != null ? st.getDescription() : st.getCode()));
      }
      throw new DescriptorProblem("server reflection at " + target + " failed: " + st.getCode()
          + (st.getDescription() != null ? " " + st.getDescription() : ""));
    }

    @Override
    public void close() {
      call.cancel("descriptors loaded", null);
    }
  }
}
