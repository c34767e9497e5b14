package dev.ficus.migration;

import dev.ficus.http.BodyFraming;
import dev.ficus.http.Deadlines;
import dev.ficus.http.Http1Pools;
import dev.ficus.http.ResponseHead;
import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * One shadow copy to an {@code http://} target over the gateway's lean HTTP/1.1 connections
 * ({@link Http1Pools}): writes the request head and body, reads the answer's head and body (up to
 * {@code maxBody} bytes, each growth reserved from {@code memory} first; with {@code maxBody} 0
 * the body is read and thrown away) and hands the connection back. Runs on {@code io} only; the
 * callback is called exactly once. A kept-alive connection the target closes as the copy goes
 * out on it is replaced once, for safe methods. A buffer of the pool is taken only once the
 * target has something to say, so a target that never answers holds none.
 */
final class PlainShadowCall extends Deadlines.Entry implements Http1Pools.Client {
  private static final Set<String> RETRYABLE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  private final XnioIoThread io;
  private final ByteBufferPool buffers;
  private final Http1Pools pools;
  private final ShadowClient.Request request;
  private final int maxBody;
  private final ShadowClient.Memory memory;
  private final ShadowClient.Callback cb;
  private Http1Pools.Pool pool;
  private Http1Pools.Connection conn;
  private PooledByteBuffer pooled;
  private ByteBuffer buf;
  private ByteBuffer[] out;
  private boolean reused;
  private boolean retried;
  private boolean done;
  private ResponseHead head;
  private BodyFraming body;
  private boolean inBody;
  private byte[] data = new byte[0];
  private int size;
  private long timeoutMillis;

  PlainShadowCall(XnioIoThread io, ByteBufferPool buffers, Http1Pools pools, ShadowClient.Request request, int maxBody,
      ShadowClient.Memory memory, ShadowClient.Callback cb) {
    this.io = io;
    this.buffers = buffers;
    this.pools = pools;
    this.request = request;
    this.maxBody = maxBody;
    this.memory = memory;
    this.cb = cb;
  }

  void start(Duration timeout) {
    timeoutMillis = Math.max(1, timeout.toMillis());
    Deadlines.add(io, this, timeoutMillis);
    acquire();
  }

  private void acquire() {
    pool = pools.pick(null);
    if (!pool.acquire(this, io)) {
      fail("too many shadow copies waiting for a connection");
    }
  }

  @Override
  public boolean connected(Http1Pools.Connection c, boolean reused) {
    if (done) {
      return false;
    }
    conn = c;
    this.reused = reused;
    out = new ByteBuffer[] {ByteBuffer.wrap(head()), ByteBuffer.wrap(request.body())};
    write();
    return true;
  }

  private byte[] head() {
    StringBuilder s = new StringBuilder(256).append(request.method()).append(' ').append(request.path()).append(" HTTP/1.1\r\n");
    HeaderMap h = request.headers();
    for (long c = h.fastIterateNonEmpty(); c != -1L; c = h.fiNextNonEmpty(c)) {
      HeaderValues v = h.fiCurrent(c);
      for (String value : v) {
        s.append(v.getHeaderName()).append(": ").append(value).append("\r\n");
      }
    }
    return s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private void write() {
    ConduitStreamSinkChannel sink = conn.channel().getSinkChannel();
    try {
      while (out[0].hasRemaining() || out[1].hasRemaining()) {
        if (sink.write(out, 0, 2) == 0) {
          sink.getWriteSetter().set(ch -> {
            ch.suspendWrites();
            if (!done) {
              write();
            }
          });
          sink.resumeWrites();
          return;
        }
      }
    } catch (IOException e) {
      fail(ShadowClient.describe(e));
    }
  }

  @Override
  public void connectFailed(Http1Pools.Pool p, IOException e) {
    if (!done) {
      fail(ShadowClient.describe(e));
    }
  }

  @Override
  public void readable() {
    if (done) {
      return;
    }
    ConduitStreamSourceChannel in = conn.channel().getSourceChannel();
    if (pooled == null) {
      pooled = buffers.allocate();
      buf = pooled.getBuffer();
    }
    try {
      if (!inBody && !readHead(in)) {
        return;
      }
      while (true) {
        int n = body.next(buf);
        if (n < 0) {
          complete();
          return;
        }
        if (n > 0) {
          if (maxBody == 0) {
            buf.position(buf.position() + n);
            body.consumed(n);
            continue;
          }
          if (size + n > maxBody) {
            fail("the shadow's answer is larger than " + maxBody + " bytes");
            return;
          }
          if (size + n > data.length && !grow(size + n)) {
            return;
          }
          buf.get(data, size, n);
          size += n;
          body.consumed(n);
          continue;
        }
        buf.clear();
        int r = in.read(buf);
        buf.flip();
        if (r == 0) {
          return;
        }
        if (r < 0) {
          if (body.endsAtClose()) {
            complete();
          } else {
            fail("the shadow target closed the connection in the middle of its answer");
          }
          return;
        }
      }
    } catch (IOException | ResponseHead.MalformedException e) {
      fail(ShadowClient.describe(e));
    }
  }

  /** A larger array for the answer's body, its growth reserved first; false (and failed) when refused. */
  private boolean grow(int needed) {
    int capacity = Math.min(maxBody, Math.max(needed, Math.max(512, data.length * 2)));
    if (!memory.reserve(capacity - data.length)) {
      fail("the shadow's answer is over the shadow budget");
      return false;
    }
    data = Arrays.copyOf(data, capacity);
    return true;
  }

  /** Reads until the final answer's head is in; true when its body (if any) can be read. */
  private boolean readHead(ConduitStreamSourceChannel in) throws IOException, ResponseHead.MalformedException {
    int r = in.read(buf);
    if (r < 0) {
      if (buf.position() == 0 && reused && !retried && RETRYABLE.contains(request.method())) {
        retried = true;
        conn.close();
        conn = null;
        pooled.close();
        pooled = null;
        acquire();
        return false;
      }
      fail("the shadow target closed the connection before answering");
      return false;
    }
    head = ResponseHead.parseFinal(buf);
    if (head == null) {
      if (!buf.hasRemaining()) {
        fail("the shadow's answer head is larger than " + buf.capacity() + " bytes");
      }
      return false;
    }
    if (head.status() == 101) {
      fail("the shadow target switched protocols unasked");
      return false;
    }
    buf.flip().position(head.length());
    body = BodyFraming.of(head, request.method().equals("HEAD"));
    if (body == null) {
      complete();
      return false;
    }
    inBody = true;
    return true;
  }

  private void complete() {
    boolean reusable = !head.close() && (body == null || !body.endsAtClose()) && !buf.hasRemaining()
        && !out[0].hasRemaining() && !out[1].hasRemaining();
    Http1Pools.Connection c = conn;
    conn = null;
    end();
    if (reusable && c.channel().isOpen()) {
      c.pool().release(c);
    } else {
      c.close();
    }
    HeaderMap headers = new HeaderMap();
    head.copyHeaders(headers, !head.transferEncoded());
    cb.completed(new ShadowClient.Answer(head.status(), headers, Arrays.copyOf(data, size)));
  }

  /** The timeout: no complete answer in time. */
  @Override
  protected void expired() {
    if (!done) {
      fail("no answer within " + timeoutMillis + " ms");
    }
  }

  private void fail(String reason) {
    if (done) {
      return;
    }
    if (conn != null) {
      conn.close();
      conn = null;
    } else if (pool != null) {
      pool.leave(this);
    }
    end();
    cb.failed(reason);
  }

  private void end() {
    done = true;
    cancelDeadline();
    if (pooled != null) {
      pooled.close();
      pooled = null;
    }
  }
}
