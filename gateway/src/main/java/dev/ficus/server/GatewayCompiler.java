package dev.ficus.server;

import dev.ficus.config.ConfigLoader;
import dev.ficus.config.Loc;
import dev.ficus.config.Problems;
import dev.ficus.config.Specs;
import dev.ficus.grpc.GrpcMappingCompiler;
import dev.ficus.http.BodyReader;
import dev.ficus.migration.Parity;
import dev.ficus.routing.Router;
import dev.ficus.soap.SoapMappingCompiler;
import dev.ficus.routing.CompiledRoute;
import io.undertow.server.HttpHandler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Config directory → {@link GatewayRuntime}: load strictly, compile every mapping, compile the
 * route table, and report all problems at once. Used by {@code run} (refuses to start on
 * problems), {@code validate} (prints them) and reload (keeps the running config on problems).
 */
public final class GatewayCompiler {
  private final Function<String, String> env;
  /** gRPC channels outlive a compile: reloads reuse the connections to unchanged targets. */

  public GatewayCompiler(Function<String, String> env) {
    this.env = env;
  }

  /** Loads the configuration files (no WSDL is read yet). */
  public Specs.ConfigSpec load(Path dir, Problems problems) {
    return new ConfigLoader(env).load(dir, problems);
  }

  /** Compiles {@code spec}; problems are added to {@code problems}; returns null when there are any. */
  public GatewayRuntime compile(Specs.ConfigSpec spec, SharedState shared, Problems problems) {
    Specs.GatewaySpec g = spec.gateway();
    // One reader for every mapped route: this configuration's limits, the process's budget.
    BodyReader bodies = new BodyReader(g.maxBodyBytes(), g.edge().bodyTimeout(), g.edge().minBodyRate(),
        Specs.EdgeLimits.BODY_RATE_GRACE, shared.bodyBudget());
    SoapMappingCompiler soap = new SoapMappingCompiler(g, shared.soapClient(), bodies, problems);
    GrpcMappingCompiler grpc = new GrpcMappingCompiler(g, shared.grpcChannels(), bodies, problems);
    Router.Builder<HttpHandler> mappingRoutes = new Router.Builder<>();
    Router.Builder<HttpHandler> table = new Router.Builder<>();
    List<String> lines = new ArrayList<>();
    for (Specs.MappingSpec m : spec.mappings()) {
      for (CompiledRoute r : m.grpc() != null ? grpc.compile(m) : soap.compile(m)) {
        Object prev = mappingRoutes.add(Set.of(r.method()), r.path(), Router.Conditions.NONE, 0, r.accepts(),
            r.handler(), r.loc());
        if (prev != null) {
          problems.add(r.loc(), "route " + r.method() + " " + r.path().text() + " is already defined at " + prev
              + "; each method and path may be mapped once");
        } else {
          table.add(Set.of(r.method()), r.path(), Router.Conditions.NONE, 0, r.accepts(), r.handler(), r.loc());
          r.descriptions().forEach(d -> lines.add(r.method() + " " + r.path().text() + " -> " + d));
        }
      }
    }
    List<Parity> parities = new RouteTableCompiler(spec.gateway(), problems, shared.inventory(),
        shared.shadowClient(), shared::parity, shared::upstreamPool).compile(table, mappingRoutes.build(), lines);
    if (spec.mappings().isEmpty() && spec.gateway().routes().isEmpty() && problems.isEmpty()) {
      problems.add(Loc.of(spec.dir().toString()), "nothing to serve: no mapping files (ficus: mapping/v1) and no routes");
    }
    if (!problems.isEmpty()) {
      return null;
    }
    return new GatewayRuntime(spec.gateway(), table.build(), lines, parities, problems.warnings());
  }
}
