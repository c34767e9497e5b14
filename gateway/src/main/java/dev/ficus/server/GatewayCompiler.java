package dev.ficus.server;

import dev.ficus.config.ConfigLoader;
import dev.ficus.config.Problems;
import dev.ficus.config.Specs;
import dev.ficus.routing.Router;
import dev.ficus.soap.SoapClient;
import dev.ficus.soap.SoapMappingCompiler;
import dev.ficus.soap.SoapOperationHandler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Config directory → {@link GatewayRuntime}: load strictly, compile every mapping, build the
 * route table, and report all problems at once. Used by {@code run} (refuses to start on
 * problems) and {@code validate} (prints them).
 */
public final class GatewayCompiler {
  private final Function<String, String> env;

  public GatewayCompiler(Function<String, String> env) {
    this.env = env;
  }

  /** Loads only the gateway file's settings (to size the backend client before compiling). */
  public Specs.ConfigSpec load(Path dir, Problems problems) {
    return new ConfigLoader(env).load(dir, problems);
  }

  /** Compiles {@code spec}; problems are added to {@code problems}; returns null when there are any. */
  public GatewayRuntime compile(Specs.ConfigSpec spec, SoapClient client, Problems problems) {
    SoapMappingCompiler soap = new SoapMappingCompiler(spec.gateway(), client, problems);
    Router.Builder<SoapOperationHandler> router = new Router.Builder<>();
    List<String> lines = new ArrayList<>();
    for (Specs.MappingSpec m : spec.mappings()) {
      for (SoapMappingCompiler.CompiledRoute r : soap.compile(m)) {
        Object prev = router.add(r.method(), r.path(), r.handler(), r.loc());
        if (prev != null) {
          problems.add(r.loc(), "route " + r.method() + " " + r.path().text() + " is already defined at " + prev
              + "; each method and path may be mapped once");
        } else {
          lines.add(r.method() + " " + r.path().text() + " -> " + r.handler().describe());
        }
      }
    }
    if (spec.mappings().isEmpty() && problems.isEmpty()) {
      problems.add(dev.ficus.config.Loc.of(spec.dir().toString()), "no mapping files (ficus: mapping/v1) found");
    }
    if (!problems.isEmpty()) {
      return null;
    }
    return new GatewayRuntime(spec.gateway(), router.build(), lines);
  }
}
