package dev.ficus.routing;

import io.undertow.util.AttachmentKey;

/**
 * The route match of an exchange (its path variables), attached by the router before the
 * route's handler runs, so that handlers read variables without matching again.
 */
public final class RouteMatch {
  public static final AttachmentKey<Router.Found<?>> KEY = AttachmentKey.create(Router.Found.class);

  private RouteMatch() {}
}
