package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.server.GatewayServer;
import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Error;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2HeadersFrame;
import io.grpc.netty.shaded.io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend that resets a call's HTTP/2 stream with {@code RST_STREAM(CANCEL)} (a raw HTTP/2
 * server of the test's own, on Netty's HTTP/2 codec): before any answer (GetItem) or after the
 * headers and part of the reply (GetStock). Both unary transports give the same answer: the gRPC
 * status the HTTP/2 mapping of the gRPC spec gives {@code CANCEL}, {@code CANCELLED}, which the
 * gateway answers as {@code 502 backend-fault}, not retryable — the client did not give up, the
 * backend did. The connection keeps serving the calls after.
 */
class GrpcBackendResetTest {
  @TempDir
  static Path tmp;
  static NioEventLoopGroup group;
  static Channel server;
  static GatewayServer gateway;
  /** Streams the backend saw. */
  static final AtomicInteger STREAMS = new AtomicInteger();
  /** TCP connections the backend accepted. */
  static final AtomicInteger CONNECTIONS = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    group = new NioEventLoopGroup(1);
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            CONNECTIONS.incrementAndGet();
            ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new Resetter());
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    int port = ((InetSocketAddress) server.localAddress()).getPort();
    Path config = GrpcFixture.workspace(tmp);
    GrpcFixture.write(config, "gateway.yaml", """
        ficus: gateway/v1
        ioThreads: 1
        """);
    GrpcFixture.writeTransportMappings(config, port, """
          - route: GET /TRANSPORT/early/{name=warehouses/*/items/*}
            call: GetItem
            timeout: 5s
          - route: GET /TRANSPORT/midway/{name=warehouses/*/items/*}
            call: GetStock
            timeout: 5s
        """);
    gateway = GrpcFixture.start(config);
    // Activation starts the channel's connection at once, but asynchronously: let it land before
    // the tests count the connections their calls open.
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (CONNECTIONS.get() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    if (server != null) {
      server.close().sync();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  /**
   * Resets every stream with CANCEL once its request headers are in: GetItem at once, GetStock
   * after the response headers and the first 3 bytes of a gRPC message frame.
   */
  private static final class Resetter extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame h && h.headers().path() != null) {
          STREAMS.incrementAndGet();
          if (h.headers().path().toString().endsWith("/GetStock")) {
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                .set("content-type", "application/grpc")).stream(h.stream()));
            ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(new byte[] {0, 0, 0})).stream(h.stream()));
          }
          ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL).stream(h.stream()));
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
  }

  private static void assertBackendCancelled(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonNode p = UnaryTranscodingTest.json(r);
    assertThat(p.get("type").asText()).isEqualTo("urn:ficus:problem:backend-fault");
    assertThat(p.get("grpcStatus").asText()).isEqualTo("CANCELLED");
    assertThat(p.get("retryable").asBoolean()).isFalse();
    assertThat(p.get("detail").asText()).startsWith("The backend cancelled inventory.v1.Inventory/");
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "channel"})
  void aStreamResetBeforeAnyAnswerIsTheBackendCancellingTheCall(String transport) {
    int before = CONNECTIONS.get();
    for (int i = 0; i < 3; i++) {
      assertBackendCancelled(GrpcFixture.get(gateway, "/" + transport + "/early/warehouses/main/items/rake"));
    }
    assertThat(CONNECTIONS.get() - before).as("new backend connections").isLessThanOrEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "channel"})
  void aStreamResetPartWayThroughTheReplyIsTheBackendCancellingTheCall(String transport) {
    int before = CONNECTIONS.get();
    for (int i = 0; i < 3; i++) {
      assertBackendCancelled(GrpcFixture.get(gateway, "/" + transport + "/midway/warehouses/main/items/rake"));
    }
    assertThat(CONNECTIONS.get() - before).as("new backend connections").isLessThanOrEqualTo(1);
  }
}
