package dev.ficus.policy;

import dev.ficus.chain.ChainRoute;
import dev.ficus.chain.Link;
import dev.ficus.chain.RequestContext;
import dev.ficus.chain.Stage;
import dev.ficus.config.Problems;
import dev.ficus.config.Specs;
import dev.ficus.error.GatewayError;
import dev.ficus.http.Responses;
import dev.ficus.proxy.TrustedProxies;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.net.InetAddress;

/**
 * The {@code policies.ip} stage: refuses, with 403 before anything else of the route runs (no
 * backend or shadow sees the request), a client whose address (the request context's, through
 * {@code trustedProxies}) is in {@code deny}, or outside a non-empty {@code allow}. Absent from
 * the chain of a route whose rules are unset or empty. Per request: the CIDR checks, on the IO
 * thread.
 */
public final class IpRulesStage implements Stage {
  @Override
  public String name() {
    return "ip";
  }

  @Override
  public Link compile(ChainRoute route, Problems problems) {
    Specs.IpRules rules = route.policies().ip();
    if (rules == null || rules.isEmpty()) {
      return null;
    }
    TrustedProxies allow = parse(rules.allow(), rules, "allow", problems);
    TrustedProxies deny = parse(rules.deny(), rules, "deny", problems);
    if (allow == null || deny == null) {
      return null;
    }
    String label = "ip" + (rules.allow().isEmpty() ? "" : " allow " + String.join(",", rules.allow()))
        + (rules.deny().isEmpty() ? "" : " deny " + String.join(",", rules.deny()));
    return new Link(name(), label, next -> new Check(allow, deny, next));
  }

  private static TrustedProxies parse(java.util.List<String> blocks, Specs.IpRules rules, String key,
      Problems problems) {
    try {
      return TrustedProxies.parse(blocks);
    } catch (IllegalArgumentException e) {
      problems.add(rules.loc(), "policies.ip." + key + ": " + e.getMessage());
      return null;
    }
  }

  private record Check(TrustedProxies allow, TrustedProxies deny, HttpHandler next) implements HttpHandler {
    @Override
    public void handleRequest(HttpServerExchange ex) throws Exception {
      String client = RequestContext.of(ex).clientAddress();
      InetAddress a = TrustedProxies.literal(client);
      boolean refused = a == null ? !allow.isEmpty() : deny.trusts(a) || (!allow.isEmpty() && !allow.trusts(a));
      if (refused) {
        Responses.problem(ex, GatewayError.forbidden("The client address " + client + " may not call this route"));
        return;
      }
      next.handleRequest(ex);
    }
  }
}
