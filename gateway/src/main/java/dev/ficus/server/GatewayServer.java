package dev.ficus.server;

import dev.ficus.admin.AdminServer;
import dev.ficus.config.Problems;
import dev.ficus.config.Specs;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
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
  private final SharedState shared;
  private final AdminServer admin;
  private final int port;

  private GatewayServer(Undertow undertow, AtomicReference<GatewayRuntime> runtime, SharedState shared,
      AdminServer admin) {
    this.undertow = undertow;
    this.runtime = runtime;
    this.shared = shared;
    this.admin = admin;
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
    SharedState shared = new SharedState(spec.gateway().maxResponseBytes());
    GatewayRuntime rt = compiler.compile(spec, shared, problems);
    if (rt == null) {
      shared.close();
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
      shared.close();
      throw e;
    }
    AdminServer admin = null;
    if (spec.gateway().admin() != null) {
      try {
        admin = AdminServer.start(spec.gateway().admin(), ref::get, shared.inventory());
      } catch (RuntimeException e) {
        u.stop();
        shared.close();
        throw e;
      }
    }
    return new GatewayServer(u, ref, shared, admin);
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

  /** The admin listener's port, or -1 when none is configured. */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  public SharedState shared() {
    return shared;
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close();
    }
    undertow.stop();
    shared.close();
  }
}
