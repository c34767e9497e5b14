package dev.ficus.chain;

import io.undertow.server.HttpHandler;
import java.util.List;

/**
 * One route's compiled chain: the handler a request of the route enters ({@code head}), and the
 * links it runs through, outermost first, ending with the target ({@code /routes} prints them
 * from here, so what it shows is what runs). Immutable.
 *
 * @param links the labels of the stages the route uses, outermost first (unused stages are absent)
 * @param target what serves the request at the end of the chain, as {@code /routes} shows it
 */
public record Chain(String route, List<Link> links, String target, HttpHandler head) {
  public Chain {
    links = List.copyOf(links);
  }

  /** {@code context ▸ shadow to x ▸ upstream legacy}: the chain on one line. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (Link l : links) {
      sb.append(l.label()).append(" ▸ ");
    }
    return sb.append(target).toString();
  }
}
