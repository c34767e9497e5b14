package dev.ficus.soap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * Non-blocking HTTP transport for SOAP calls, on the JDK's {@link HttpClient}: keep-alive
 * connections are pooled per backend, calls in flight are limited by nothing but the
 * backend, and completions run on {@code executor} (never on an Undertow IO thread). Reply
 * bodies larger than {@code maxResponseBytes} are cut off and fail the call, so a runaway
 * backend cannot exhaust the heap. Thread-safe; one instance per gateway.
 */
public final class SoapClient implements AutoCloseable {
  private final HttpClient http;
  private final long maxResponseBytes;

  public SoapClient(Executor executor, Duration connectTimeout, long maxResponseBytes) {
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor)
        .build();
    this.maxResponseBytes = maxResponseBytes;
  }

  /** A raw reply: status, content type (may be null) and body. */
  public record RawReply(int status, String contentType, byte[] body) {}

  /** Thrown (inside the future) when the reply exceeds the size limit. */
  public static final class ReplyTooLargeException extends IOException {
    public ReplyTooLargeException(long limit) {
      super("reply is larger than " + limit + " bytes (limits.maxResponseSize)");
    }
  }

  /** POSTs {@code envelope}; the future fails with the transport's exception on error. */
  public CompletableFuture<RawReply> post(URI endpoint, SoapVersion version, String action, byte[] envelope,
      Duration timeout) {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint)
        .timeout(timeout)
        .header("Content-Type", version.contentType(action))
        .header("Accept", version.mediaType() + ", text/xml, application/xml, */*;q=0.1")
        .POST(HttpRequest.BodyPublishers.ofByteArray(envelope));
    if (version == SoapVersion.SOAP_11) {
      b.header("SOAPAction", "\"" + (action == null ? "" : action) + "\"");
    }
    return http.sendAsync(b.build(), info -> new LimitedBody(maxResponseBytes))
        .thenApply(r -> new RawReply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body()));
  }

  @Override
  public void close() {
    // HttpClient#close exists from Java 21 only; on 17 the client is released with its executor.
  }

  /** Collects the body up to a limit; cancels the upstream and fails when it is exceeded. */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final long limit;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(1024);
    private Flow.Subscription subscription;

    LimitedBody(long limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      this.subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer bb : items) {
        if (buf.size() + (long) bb.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(new ReplyTooLargeException(limit));
          return;
        }
        if (bb.hasArray()) {
          buf.write(bb.array(), bb.arrayOffset() + bb.position(), bb.remaining());
        } else {
          byte[] tmp = new byte[bb.remaining()];
          bb.get(tmp);
          buf.write(tmp, 0, tmp.length);
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(buf.toByteArray());
    }
  }
}
