package dev.ficus.grpc;

import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * The gateway's limit on a gRPC reply message ({@code limits.maxResponseSize}), on both unary
 * transports and on streams. A reply over it ends the call with RESOURCE_EXHAUSTED whose cause
 * is {@link Exceeded}, so that {@link StatusTranslator} tells the gateway's own limit (a 502, not
 * retryable: the same call gets the same reply) apart from a backend's RESOURCE_EXHAUSTED (a
 * quota, 429, retryable). Stateless.
 */
final class ReplyLimit {
  private ReplyLimit() {}

  /** The cause of a status for a reply over the limit; carries the limit. No stack trace. */
  static final class Exceeded extends Exception {
    private final long limit;

    Exceeded(long limit) {
      super("the reply is larger than " + limit + " bytes (limits.maxResponseSize)", null, false, false);
      this.limit = limit;
    }

    long limit() {
      return limit;
    }
  }

  /** The status of a call whose reply is over {@code limit} bytes. */
  static Status exceeded(long limit) {
    Exceeded e = new Exceeded(limit);
    return Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).withCause(e);
  }

  /** The limit a status says was exceeded, or -1 when it is not the gateway's reply limit. */
  static long exceededLimit(Status status) {
    return status.getCode() == Status.Code.RESOURCE_EXHAUSTED && status.getCause() instanceof Exceeded e
        ? e.limit() : -1;
  }

  /**
   * Per call on grpc-java's channel: notes whether the server's trailers came in. grpc-java ends a
   * call whose reply message is over the call's {@code maxInboundMessageSize} with
   * RESOURCE_EXHAUSTED and resets the stream before any trailers are read, while a backend's own
   * RESOURCE_EXHAUSTED always comes in its trailers; that, not the status' wording, tells them
   * apart. Thread-safe (the tracer runs on the transport thread, {@link #classify} where the
   * call's listener runs, after it).
   */
  static final class Watch extends ClientStreamTracer.Factory {
    private final long limit;
    private volatile boolean trailers;

    Watch(long limit) {
      this.limit = limit;
    }

    @Override
    public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
      return new ClientStreamTracer() {
        @Override
        public void inboundTrailers(Metadata t) {
          trailers = true;
        }
      };
    }

    /** {@code status}, or {@link #exceeded} when grpc-java refused a reply over the limit. */
    Status classify(Status status) {
      return status.getCode() == Status.Code.RESOURCE_EXHAUSTED && !trailers && status.getCause() == null
          ? exceeded(limit) : status;
    }
  }
}
