package dev.ficus.routing;

import dev.ficus.config.Loc;
import dev.ficus.config.Specs;
import io.undertow.server.HttpHandler;
import java.util.List;
import java.util.function.Predicate;

/**
 * A REST operation compiled from a mapping file, whatever its backend (SOAP, gRPC): method,
 * path template, the handler that serves it, one line per binding it serves for banners, the
 * admin listener and {@code validate}, and the YAML location it came from.
 *
 * @param accepts the {@link Router} path filter of a template the router can only widen (gRPC's
 *     {@code google.api.http} templates), or null
 * @param descriptions one line per binding; several when bindings share the router template
 * @param policies the operation's own policies ({@link Specs.Policies#NONE}: the gateway's defaults)
 */
public record CompiledRoute(String method, PathTemplate path, HttpHandler handler, List<String> descriptions,
    Loc loc, Predicate<String> accepts, Specs.Policies policies) {
  public CompiledRoute {
    descriptions = List.copyOf(descriptions);
    policies = policies == null ? Specs.Policies.NONE : policies;
  }

  /** A route that serves exactly its template, with one binding and the operation's {@code policies}. */
  public CompiledRoute(String method, PathTemplate path, HttpHandler handler, String description, Loc loc,
      Specs.Policies policies) {
    this(method, path, handler, List.of(description), loc, null, policies);
  }
}
