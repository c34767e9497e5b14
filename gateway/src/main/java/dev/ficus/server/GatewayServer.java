package dev.ficus.server;

import dev.ficus.config.Problems;
import dev.ficus.config.Specs;
import dev.ficus.soap.SoapClient;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The gateway process: compiles a configuration directory, listens with Undertow (HTTP/1.1
 * and HTTP/2) and serves the compiled runtime. The runtime is held in an atomic reference so
 * that a reload can swap it without dropping requests in flight.
 */
public final class GatewayServer implements AutoCloseable {
  private final Undertow undertow;
  private final AtomicReference<GatewayRuntime> runtime;
  private final ExecutorService backendExecutor;
  private final SoapClient client;
  private final int port;

  private GatewayServer(Undertow undertow, AtomicReference<GatewayRuntime> runtime, ExecutorService backendExecutor,
      SoapClient client) {
    this.undertow = undertow;
    this.runtime = runtime;
    this.backendExecutor = backendExecutor;
    this.client = client;
    this.port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
  }

  /**
   * Compiles {@code configDir} and starts listening. Throws {@link dev.ficus.config.ConfigException}
   * with every problem when the configuration is invalid; nothing is started then.
   *
   * @param listenOverride host:port to listen on instead of the configured one, or null
   */
  public static GatewayServer start(Path configDir, Function<String, String> env, String listenHost,
      Integer listenPort) {
    GatewayCompiler compiler = new GatewayCompiler(env);
    Problems problems = new Problems();
    Specs.ConfigSpec spec = compiler.load(configDir, problems);
    AtomicInteger n = new AtomicInteger();
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    ExecutorService exec = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "ficus-backend-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    SoapClient client = new SoapClient(exec, Duration.ofSeconds(5), spec.gateway().maxResponseBytes());
    GatewayRuntime rt = compiler.compile(spec, client, problems);
    if (rt == null) {
      exec.shutdownNow();
      problems.throwIfAny();
    }
    AtomicReference<GatewayRuntime> ref = new AtomicReference<>(rt);
    HttpHandler root = pipeline(ref);
    String host = listenHost != null ? listenHost : spec.gateway().host();
    int port = listenPort != null ? listenPort : spec.gateway().port();
    Undertow u = Undertow.builder()
        .addHttpListener(port, host)
        .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
        .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, spec.gateway().maxBodyBytes())
        .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
        .setHandler(root)
        .build();
    try {
      u.start();
    } catch (RuntimeException e) {
      exec.shutdownNow();
      throw e;
    }
    return new GatewayServer(u, ref, exec, client);
  }

  /** The request pipeline, outermost first. Read top to bottom. */
  private static HttpHandler pipeline(AtomicReference<GatewayRuntime> runtime) {
    HttpHandler h = new RouteHandler(runtime::get);
    h = new ErrorBoundaryHandler(h);
    return h;
  }

  public int port() {
    return port;
  }

  public GatewayRuntime runtime() {
    return runtime.get();
  }

  @Override
  public void close() {
    undertow.stop();
    client.close();
    backendExecutor.shutdownNow();
  }
}
