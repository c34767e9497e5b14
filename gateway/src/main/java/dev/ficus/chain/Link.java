package dev.ficus.chain;

import io.undertow.server.HttpHandler;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A compiled stage for one route: what {@code /routes} shows of it ({@code label}, e.g.
 * {@code "shadow to new-orders (compared)"}) and how it wraps the rest of the chain. Immutable.
 *
 * @param wrap given the handler of the rest of the chain, the handler that runs this stage first
 */
public record Link(String stage, String label, UnaryOperator<HttpHandler> wrap) {
  public Link {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(wrap, "wrap");
  }
}
