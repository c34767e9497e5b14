package dev.ficus.bench.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * A baseline for gateway/bench/passthrough.sh, not a proxy: the least a JVM can do to forward the
 * benchmark's GET, on Netty's native epoll transport (no {@code java.nio} selector). It reads a
 * request head, appends {@code X-Forwarded-For} and {@code X-Forwarded-Proto} (Ficus sets them too),
 * sends it on a kept-alive upstream connection owned by the client connection's event loop, and
 * copies the answer back as it arrives, framed by its {@code Content-Length}.
 *
 * <p>Only what the benchmark sends is handled: requests without a body, answers with a
 * {@code Content-Length}; anything else closes the connection. One event loop per CPU (or
 * {@code -Dthreads=N}), each with its own upstream pool: no locks and no hand-offs between
 * threads, as in Ficus's lean pass-through path.
 *
 * <p>Usage: {@code NettyBaseline --listen 127.0.0.1:PORT --upstream 127.0.0.1:PORT}; prints
 * {@code READY} when it listens.
 */
public final class NettyBaseline {
  private static final FastThreadLocal<ArrayDeque<Channel>> POOL = new FastThreadLocal<>() {
    @Override
    protected ArrayDeque<Channel> initialValue() {
      return new ArrayDeque<>();
    }
  };

  private NettyBaseline() {}

  public static void main(String[] args) throws InterruptedException {
    InetSocketAddress listen = null;
    InetSocketAddress upstream = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--listen" -> listen = address(args[i + 1]);
        case "--upstream" -> upstream = address(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (listen == null || upstream == null) {
      throw new IllegalArgumentException("usage: NettyBaseline --listen HOST:PORT --upstream HOST:PORT");
    }
    Epoll.ensureAvailability();
    int threads = Integer.getInteger("threads", Runtime.getRuntime().availableProcessors());
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
    InetSocketAddress to = upstream;
    new ServerBootstrap().group(loops).channel(EpollServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new Client(to));
          }
        })
        .bind(listen).sync();
    System.out.println("READY on " + listen + ", forwarding to " + upstream + ", " + threads + " event loops");
  }

  private static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  /** The index just past the blank line that ends a head, or -1 if it has not arrived yet. */
  private static int headEnd(ByteBuf b) {
    for (int i = b.readerIndex(), n = b.writerIndex(); i + 3 < n; i++) {
      if (b.getByte(i) == '\r' && b.getByte(i + 1) == '\n' && b.getByte(i + 2) == '\r' && b.getByte(i + 3) == '\n') {
        return i + 4;
      }
    }
    return -1;
  }

  /** A field's value in a head (names compared in lower case), or null. */
  private static String field(ByteBuf b, int end, String lowerName) {
    String head = b.toString(b.readerIndex(), end - b.readerIndex(), StandardCharsets.ISO_8859_1);
    int at = head.toLowerCase(Locale.ROOT).indexOf("\r\n" + lowerName + ":");
    if (at < 0) {
      return null;
    }
    int from = at + lowerName.length() + 3;
    return head.substring(from, head.indexOf('\r', from)).trim();
  }

  private static ByteBuf append(ByteBuf held, ByteBuf more) {
    return held == null ? more : Unpooled.wrappedBuffer(held, more);
  }

  /** One client connection; runs on its event loop. One request at a time; reads pause meanwhile. */
  private static final class Client extends ChannelInboundHandlerAdapter {
    private final InetSocketAddress upstream;
    private ByteBuf held;
    private boolean busy;

    Client(InetSocketAddress upstream) {
      this.upstream = upstream;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      held = append(held, (ByteBuf) msg);
      if (!busy) {
        forwardNext(ctx);
      }
    }

    private void forwardNext(ChannelHandlerContext ctx) {
      int end = headEnd(held);
      if (end < 0) {
        return;
      }
      String length = field(held, end, "content-length");
      if ((length != null && !length.equals("0")) || field(held, end, "transfer-encoding") != null) {
        ctx.close(); // a request body: not what this baseline is for
        return;
      }
      busy = true;
      ctx.channel().config().setAutoRead(false);
      ByteBuf head = held.readRetainedSlice(end - 2 - held.readerIndex());
      held.skipBytes(2);
      if (!held.isReadable()) {
        held.release();
        held = null;
      }
      String address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
      ByteBuf added = ctx.alloc().buffer(64);
      added.writeCharSequence("X-Forwarded-For: " + address + "\r\nX-Forwarded-Proto: http\r\n\r\n",
          StandardCharsets.US_ASCII);
      ByteBuf request = ctx.alloc().compositeBuffer(2).addComponents(true, head, added);
      ArrayDeque<Channel> pool = POOL.get();
      Channel kept;
      while ((kept = pool.pollLast()) != null && !kept.isActive()) {
        // closed by the upstream while idle: drop it
      }
      if (kept != null) {
        ((Upstream) kept.pipeline().last()).serve(ctx, this);
        kept.writeAndFlush(request);
        return;
      }
      Upstream answer = new Upstream();
      answer.serve(ctx, this);
      new Bootstrap().group(ctx.channel().eventLoop()).channel(EpollSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true).handler(answer).connect(upstream)
          .addListener((ChannelFutureListener) connected -> {
            if (connected.isSuccess()) {
              connected.channel().writeAndFlush(request);
            } else {
              request.release();
              ctx.close();
            }
          });
    }

    void answered(ChannelHandlerContext ctx) {
      busy = false;
      if (held != null) {
        forwardNext(ctx);
      }
      if (!busy) {
        ctx.channel().config().setAutoRead(true);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (held != null) {
        held.release();
        held = null;
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** One upstream connection; on the event loop of the client it serves, back in the pool between answers. */
  private static final class Upstream extends ChannelInboundHandlerAdapter {
    private ChannelHandlerContext client;
    private Client clientHandler;
    private ByteBuf head;
    private long left = -1;

    void serve(ChannelHandlerContext client, Client handler) {
      this.client = client;
      this.clientHandler = handler;
      this.left = -1;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      if (left < 0) {
        head = append(head, in);
        int end = headEnd(head);
        if (end < 0) {
          return;
        }
        String length = field(head, end, "content-length");
        if (length == null) {
          head.release();
          head = null;
          ctx.close(); // chunked or close-delimited: not what this baseline is for
          return;
        }
        left = Long.parseLong(length) - (head.writerIndex() - end);
        in = head;
        head = null;
      } else {
        left -= in.readableBytes();
      }
      if (left > 0) {
        client.write(in);
        return;
      }
      ChannelHandlerContext done = client;
      client = null;
      done.writeAndFlush(in);
      POOL.get().addLast(ctx.channel());
      clientHandler.answered(done);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (client != null) {
        client.flush();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (client != null) {
        client.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
