package dev.ficus.server;

import dev.ficus.chain.Chain;
import dev.ficus.chain.ChainRoute;
import dev.ficus.chain.Stage;
import dev.ficus.config.ConfigLoader;
import dev.ficus.config.Loc;
import dev.ficus.config.Problems;
import dev.ficus.config.Specs;
import dev.ficus.grpc.GrpcMappingCompiler;
import dev.ficus.http.BodyReader;
import dev.ficus.migration.Parity;
import dev.ficus.migration.ShadowStage;
import dev.ficus.proxy.TrustedProxies;
import dev.ficus.routing.Router;
import dev.ficus.soap.SoapMappingCompiler;
import dev.ficus.routing.CompiledRoute;
import io.undertow.server.HttpHandler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Config directory → {@link GatewayRuntime}: load strictly, compile every mapping, compile the
 * route table, and report all problems at once. Used by {@code run} (refuses to start on
 * problems), {@code validate} (prints them) and reload (keeps the running config on problems).
 */
public final class GatewayCompiler {
  private final Function<String, String> env;
  private final UnaryOperator<List<Stage>> stages;

  public GatewayCompiler(Function<String, String> env) {
    this(env, null);
  }

  /**
   * A compiler whose route chains use the standard stages ({@link RouteChains#standard}) as
   * changed by {@code stages} (null: unchanged), for embedding and tests.
   */
  public GatewayCompiler(Function<String, String> env, UnaryOperator<List<Stage>> stages) {
    this.env = env;
    this.stages = stages;
  }

  /** Loads the configuration files (no WSDL is read yet). */
  public Specs.ConfigSpec load(Path dir, Problems problems) {
    return new ConfigLoader(env).load(dir, problems);
  }

  /** Compiles {@code spec}; problems are added to {@code problems}; returns null when there are any. */
  public GatewayRuntime compile(Specs.ConfigSpec spec, SharedState shared, Problems problems) {
    return compile(spec, shared, problems, false);
  }

  /**
   * As above; {@code offline}: nothing is read over the network (a WSDL by URL or server
   * reflection is a problem instead), for {@code validate --offline}. Compiling opens no
   * connection either way: backend connections are opened by the first request that needs them.
   */
  public GatewayRuntime compile(Specs.ConfigSpec spec, SharedState shared, Problems problems, boolean offline) {
    Specs.GatewaySpec g = spec.gateway();
    // One reader for every mapped route: this configuration's limits, the process's budget.
    BodyReader bodies = new BodyReader(g.maxBodyBytes(), g.edge().bodyTimeout(), g.edge().minBodyRate(),
        Specs.EdgeLimits.BODY_RATE_GRACE, shared.bodyBudget());
    SoapMappingCompiler soap = new SoapMappingCompiler(g, shared.soapClient(), bodies, problems, offline);
    GrpcMappingCompiler grpc = new GrpcMappingCompiler(g, shared.grpcChannels(), bodies, problems, offline);
    TrustedProxies trusted;
    try {
      trusted = TrustedProxies.parse(g.trustedProxies());
    } catch (IllegalArgumentException e) {
      problems.add(g.loc(), "trustedProxies: " + e.getMessage());
      trusted = TrustedProxies.NONE;
    }
    Map<String, Specs.UpstreamSpec> upstreams = new LinkedHashMap<>();
    g.upstreams().forEach(u -> upstreams.put(u.name(), u));
    ShadowStage shadow = new ShadowStage(upstreams, shared.shadowClient(), shared::parity);
    RouteChains chains = new RouteChains(RouteChains.customized(RouteChains.standard(trusted, shadow), stages), problems);
    Router.Builder<HttpHandler> mappingRoutes = new Router.Builder<>();
    Router.Builder<HttpHandler> table = new Router.Builder<>();
    List<String> lines = new ArrayList<>();
    List<Chain> compiled = new ArrayList<>();
    for (Specs.MappingSpec m : spec.mappings()) {
      for (CompiledRoute r : m.grpc() != null ? grpc.compile(m) : soap.compile(m)) {
        String key = r.method() + " " + r.path().text();
        String target = String.join("; ", r.descriptions());
        Chain chain = chains.build(ChainRoute.operation(key, r.loc(), target, r.policies().over(g.policies())), target, r.handler());
        Object prev = mappingRoutes.add(Set.of(r.method()), r.path(), Router.Conditions.NONE, 0, r.accepts(),
            chain.head(), r.loc());
        if (prev != null) {
          problems.add(r.loc(), "route " + key + " is already defined at " + prev
              + "; each method and path may be mapped once");
        } else {
          table.add(Set.of(r.method()), r.path(), Router.Conditions.NONE, 0, r.accepts(), chain.head(), r.loc());
          r.descriptions().forEach(d -> lines.add(key + " -> " + d));
          compiled.add(chain);
        }
      }
    }
    new RouteTableCompiler(g, problems, shared.inventory(), upstreams, trusted, chains, shared::upstreamPool)
        .compile(table, mappingRoutes.build(), lines, compiled);
    List<Parity> parities = shadow.parities();
    if (spec.mappings().isEmpty() && spec.gateway().routes().isEmpty() && problems.isEmpty()) {
      problems.add(Loc.of(spec.dir().toString()), "nothing to serve: no mapping files (ficus: mapping/v1) and no routes");
    }
    if (!problems.isEmpty()) {
      return null;
    }
    return new GatewayRuntime(spec.gateway(), table.build(), lines, compiled, parities, problems.warnings());
  }
}
