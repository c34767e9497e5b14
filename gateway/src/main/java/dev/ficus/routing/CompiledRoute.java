package dev.ficus.routing;

import dev.ficus.config.Loc;
import io.undertow.server.HttpHandler;

/**
 * A REST operation compiled from a mapping file, whatever its backend (SOAP, gRPC): method,
 * path template, the handler that serves it, a one-line description for banners and the admin
 * listener, and the YAML location it came from.
 */
public record CompiledRoute(String method, PathTemplate path, HttpHandler handler, String description, Loc loc) {}
