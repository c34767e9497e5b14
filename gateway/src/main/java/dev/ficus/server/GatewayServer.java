package dev.ficus.server;

import dev.ficus.admin.AdminServer;
import dev.ficus.config.Problems;
import dev.ficus.config.Specs;
import dev.ficus.routing.RouterHandler;
import io.undertow.Undertow;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.channels.AcceptingChannel;

/**
 * The gateway process: compiles a configuration directory, listens with Undertow (HTTP/1.1
 * and HTTP/2) and serves the compiled runtime. The runtime is held in an atomic reference so
 * that a reload can swap it without dropping requests in flight.
 */
public final class GatewayServer implements AutoCloseable {
  private final Undertow undertow;
  private final AcceptingChannel<StreamConnection> listener;
  private final AtomicReference<GatewayRuntime> runtime;
  private final SharedState shared;
  private final AdminServer admin;
  private final int port;

  private final GatewayCompiler compiler;
  private final Path configDir;
  private final ReloadHistory reloads;

  private GatewayServer(Undertow undertow, AcceptingChannel<StreamConnection> listener,
      AtomicReference<GatewayRuntime> runtime, SharedState shared, AdminServer admin, GatewayCompiler compiler,
      Path configDir, ReloadHistory reloads) {
    this.reloads = reloads;
    this.compiler = compiler;
    this.configDir = configDir;
    this.undertow = undertow;
    this.listener = listener;
    this.runtime = runtime;
    this.shared = shared;
    this.admin = admin;
    this.port = listener.getLocalAddress(InetSocketAddress.class).getPort();
  }

  /**
   * Compiles {@code configDir} and starts listening. Throws {@link dev.ficus.config.ConfigException}
   * with every problem when the configuration is invalid; nothing is started then.
   *
   * @param listenOverride host:port to listen on instead of the configured one, or null
   */
  public static GatewayServer start(Path configDir, Function<String, String> env, String listenHost,
      Integer listenPort) {
    return start(configDir, env, listenHost, listenPort, null);
  }

  /**
   * As {@link #start(Path, Function, String, Integer)}, with every route's chain built from the
   * standard stages as changed by {@code stages} (null: unchanged; see {@link RouteChains}), on
   * start and on every reload. For embedding and tests.
   */
  public static GatewayServer start(Path configDir, Function<String, String> env, String listenHost,
      Integer listenPort, java.util.function.UnaryOperator<java.util.List<dev.ficus.chain.Stage>> stages) {
    GatewayCompiler compiler = new GatewayCompiler(env, stages);
    Problems problems = new Problems();
    ReloadHistory reloads = new ReloadHistory(ConfigDigest.of(configDir), java.time.Instant.now());
    Specs.ConfigSpec spec = compiler.load(configDir, problems);
    int ioThreads = spec.gateway().ioThreadCount();
    SharedState shared = new SharedState(spec.gateway().maxResponseBytes(), ioThreads, spec.gateway().edge());
    GatewayRuntime rt = compiler.compile(spec, shared, problems);
    if (rt == null) {
      shared.close();
      problems.throwIfAny();
    }
    // Activation: what needs the network starts now, after a successful compile.
    shared.grpcChannels().activate();
    AtomicReference<GatewayRuntime> ref = new AtomicReference<>(rt);
    ReloadHolder holder = new ReloadHolder(reloads);
    HttpHandler root = pipeline(ref);
    String host = listenHost != null ? listenHost : spec.gateway().host();
    int port = listenPort != null ? listenPort : spec.gateway().port();
    // Undertow's own default pool keeps 4 free buffers per thread and none beyond: with more
    // requests than that in flight on an IO thread, every request allocated and zeroed a new
    // 16 KB direct buffer and freed one (5-8 % of the pass-through's CPU at 8 000 req/s).
    // This one keeps up to 32 per thread and 512 shared (8 MB of direct memory at most, plus
    // 512 KB per thread).
    DefaultByteBufferPool buffers = new DefaultByteBufferPool(true, 16 * 1024, 512, 32);
    OptionMap serverOptions = OptionMap.builder()
        // As Undertow's own HTTP listener: pipelined responses are written together.
        .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
        .set(UndertowOptions.ENABLE_HTTP2, true)
        // No server-wide body limit: pass-through bodies stream at any size, and mapped
        // operations count their own limit (limits.maxBodySize) to answer 413 cleanly.
        .set(UndertowOptions.MAX_ENTITY_SIZE, -1L)
        .set(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
        // Undertow closes no idle client connection by itself: without these, a client that
        // vanishes (or never sends a request, or sends half a head) holds a connection for ever.
        .set(UndertowOptions.NO_REQUEST_TIMEOUT, millis(spec.gateway().clientIdleTimeout()))
        .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(spec.gateway().requestHeadTimeout()))
        // limits.maxHeadSize and maxHeaders: the strict framing (RequestFraming) answers 431 at
        // these bounds and never passes on more of a head; Undertow's own checks (its default
        // head size is 1 MB) are set to the same values behind it. Its parser holds what it was
        // given of an unfinished head (the header strings), so at most maxHeadSize per connection.
        .set(UndertowOptions.MAX_HEADER_SIZE, spec.gateway().edge().maxHeadSize())
        .set(UndertowOptions.MAX_HEADERS, spec.gateway().edge().maxHeaders())
        .getMap();
    // Undertow runs the IO and worker threads; the client listener is ours (ClientConnectionListener
    // says why), bound with the socket options Undertow gives its own listeners.
    Undertow u = Undertow.builder()
        .setIoThreads(ioThreads)
        // Undertow's default pool (8 per IO thread, at least 16) for the few blocking tasks.
        .setWorkerThreads(Math.max(ioThreads, 2) * 8)
        .setByteBufferPool(buffers)
        .build();
    try {
      u.start();
    } catch (RuntimeException e) {
      shared.close();
      throw e;
    }
    AcceptingChannel<StreamConnection> listener;
    try {
      OptionMap socketOptions = OptionMap.builder()
          .set(Options.WORKER_IO_THREADS, u.getWorker().getIoThreadCount())
          .set(Options.TCP_NODELAY, true)
          .set(Options.REUSE_ADDRESSES, true)
          .set(Options.BALANCING_TOKENS, 1)
          .set(Options.BALANCING_CONNECTIONS, 2)
          .set(Options.BACKLOG, 1000)
          .getMap();
      listener = u.getWorker().createStreamConnectionServer(new InetSocketAddress(host, port),
          ChannelListeners.openListenerAdapter(new ClientConnectionListener(root, buffers, serverOptions)),
          socketOptions);
      listener.resumeAccepts();
    } catch (IOException e) {
      u.stop();
      shared.close();
      throw new ListenException(ListenException.Listener.GATEWAY, host, port, e);
    }
    AdminServer admin = null;
    if (spec.gateway().admin() != null) {
      try {
        admin = AdminServer.start(spec.gateway().admin(), ref::get, shared.inventory(), holder);
      } catch (RuntimeException e) {
        IoUtils.safeClose(listener);
        u.stop();
        shared.close();
        // Undertow wraps the BindException in a bare RuntimeException: give it the address.
        IOException bind = ioCause(e);
        if (bind != null) {
          throw new ListenException(ListenException.Listener.ADMIN, spec.gateway().admin().host(),
              spec.gateway().admin().port(), bind);
        }
        throw e;
      }
    }
    GatewayServer server = new GatewayServer(u, listener, ref, shared, admin, compiler, configDir, reloads);
    holder.server = server;
    return server;
  }

  /** The first IOException in the cause chain of {@code e}, or null. */
  private static IOException ioCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException io) {
        return io;
      }
    }
    return null;
  }

  /** Lets the admin listener, started before the server object exists, reach {@link #reload}. */
  private static final class ReloadHolder implements AdminServer.Reloads {
    private final ReloadHistory history;
    volatile GatewayServer server;

    ReloadHolder(ReloadHistory history) {
      this.history = history;
    }

    @Override
    public ReloadHistory.Attempt reload() {
      return server.reload(ReloadHistory.Trigger.ADMIN);
    }

    @Override
    public ReloadHistory.Snapshot status() {
      return history.snapshot();
    }
  }

  /** {@link #reload(ReloadHistory.Trigger)} for an in-process caller; returns the problems (empty on success). */
  public java.util.List<dev.ficus.config.ConfigProblem> reload() {
    return reload(ReloadHistory.Trigger.API).problems();
  }

  /**
   * Reads and compiles the configuration directory again and, only if it is valid, swaps it in
   * atomically: requests in flight finish on the runtime they started with, new requests use
   * the new one, and an invalid configuration never replaces the running one. The listener
   * address and limits of the running server are kept (they need a restart). Every attempt,
   * whatever its {@code trigger}, is logged and recorded in {@link #reloads()}. Thread-safe;
   * reloads are serialised; blocks (reads files, WSDLs, protos), so never call it on an IO thread.
   */
  public synchronized ReloadHistory.Attempt reload(ReloadHistory.Trigger trigger) {
    String digest = ConfigDigest.of(configDir);
    Problems problems = new Problems();
    Specs.ConfigSpec spec = compiler.load(configDir, problems);
    GatewayRuntime next = compiler.compile(spec, shared, problems);
    java.util.logging.Logger log = java.util.logging.Logger.getLogger(GatewayServer.class.getName());
    if (next == null) {
      ReloadHistory.Attempt a = reloads.refused(trigger, digest, problems.sorted(), java.time.Instant.now());
      log.warning("reload (" + trigger.label() + ") refused, still serving configuration version "
          + a.runningVersion() + ": " + a.problems());
      return a;
    }
    shared.grpcChannels().activate();
    runtime.set(next);
    if (!next.warnings().isEmpty()) {
      log.warning("reloaded, with warnings: " + next.warnings());
    }
    ReloadHistory.Attempt a = reloads.applied(trigger, digest, java.time.Instant.now());
    log.info("reload (" + trigger.label() + ") applied: configuration version " + a.runningVersion() + ", " + digest);
    return a;
  }

  /** The running configuration's version and digest, and the outcome of recent reloads. */
  public ReloadHistory.Snapshot reloads() {
    return reloads.snapshot();
  }

  /** The request pipeline, outermost first. Read top to bottom. */
  private static HttpHandler pipeline(AtomicReference<GatewayRuntime> runtime) {
    HttpHandler h = new RouterHandler(() -> runtime.get().router());
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

  private static int millis(java.time.Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
  }

  /** How many IO threads the listener runs (fixed at start; a reload does not change it). */
  public int ioThreads() {
    return undertow.getWorker().getIoThreadCount();
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close();
    }
    IoUtils.safeClose(listener);
    undertow.stop();
    shared.close();
  }
}
