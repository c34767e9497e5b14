package dev.ficus.config;

import java.util.List;

/**
 * Reads a {@code policies:} map (of the gateway file, a route or an operation) into
 * {@link Specs.Policies}, strictly like every reader: an unknown policy is a problem with its
 * location and a did-you-mean. Values are checked for shape here; what needs compiling (CIDR
 * blocks, …) is checked by the policy's stage, with the same locations.
 */
final class PolicyReader {
  private PolicyReader() {}

  /** The policies at {@code n}; {@link Specs.Policies#NONE} when absent or invalid (problems recorded). */
  static Specs.Policies read(YNode n, Problems problems) {
    if (n == null) {
      return Specs.Policies.NONE;
    }
    MapReader r = MapReader.of(n, "'policies'", problems);
    if (r == null) {
      return Specs.Policies.NONE;
    }
    Specs.IpRules ip = ip(r.raw("ip"), problems);
    r.finish();
    return new Specs.Policies(r.loc(), ip);
  }

  private static Specs.IpRules ip(YNode n, Problems problems) {
    if (n == null) {
      return null;
    }
    MapReader r = MapReader.of(n, "'ip'", problems);
    if (r == null) {
      return null;
    }
    List<String> allow = GatewayReader.strings(r.raw("allow"), "'allow'", problems);
    List<String> deny = GatewayReader.strings(r.raw("deny"), "'deny'", problems);
    r.finish();
    return new Specs.IpRules(r.loc(), allow, deny);
  }
}
