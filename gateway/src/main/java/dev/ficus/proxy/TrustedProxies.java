package dev.ficus.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses (single IPs or CIDR blocks) whose {@code X-Forwarded-*} / {@code Forwarded}
 * headers are believed. From anyone else those headers are dropped before proxying, so a
 * client cannot forge its address. Immutable and thread-safe.
 */
public final class TrustedProxies {
  private final List<byte[]> networks;
  private final List<Integer> prefixes;

  private TrustedProxies(List<byte[]> networks, List<Integer> prefixes) {
    this.networks = networks;
    this.prefixes = prefixes;
  }

  /** Parses entries like {@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code ::1}; throws with a message on a bad one. */
  public static TrustedProxies parse(List<String> entries) {
    List<byte[]> nets = new ArrayList<>();
    List<Integer> pfx = new ArrayList<>();
    for (String e : entries) {
      String addr = e;
      int slash = e.indexOf('/');
      int prefix = -1;
      if (slash > 0) {
        addr = e.substring(0, slash);
        prefix = Integer.parseInt(e.substring(slash + 1));
      }
      if (!addr.matches("[0-9a-fA-F:.]+")) {
        throw new IllegalArgumentException("'" + e + "' is not an IP address or CIDR block");
      }
      byte[] b;
      try {
        b = InetAddress.getByName(addr).getAddress();
      } catch (UnknownHostException ex) {
        throw new IllegalArgumentException("'" + e + "' is not an IP address or CIDR block");
      }
      if (prefix < 0) {
        prefix = b.length * 8;
      }
      if (prefix > b.length * 8) {
        throw new IllegalArgumentException("'" + e + "': the prefix is longer than the address");
      }
      nets.add(b);
      pfx.add(prefix);
    }
    return new TrustedProxies(List.copyOf(nets), List.copyOf(pfx));
  }

  /** No proxy is trusted. */
  public static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of());

  /**
   * The address of an IP literal ({@code 192.0.2.1}, {@code 2001:db8::1}, {@code [::1]}, with or
   * without a port after an IPv4 address or a bracketed IPv6 one), or null for anything else.
   * Never asks DNS.
   */
  public static InetAddress literal(String s) {
    String a = s;
    if (a.startsWith("[")) {
      int end = a.indexOf(']');
      if (end < 0) {
        return null;
      }
      a = a.substring(1, end);
    } else if (a.indexOf(':') == a.lastIndexOf(':') && a.indexOf(':') > 0) {
      a = a.substring(0, a.indexOf(':'));
    }
    // Only what InetAddress takes as a literal: a dotted quad, or hex with colons (IPv6). Anything
    // else ("cafe", a host name) it would look up in DNS.
    boolean v4 = a.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    if (a.length() > 45 || !(v4 || (a.indexOf(':') >= 0 && a.matches("[0-9a-fA-F:.]+")))) {
      return null;
    }
    try {
      return InetAddress.getByName(a);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  public boolean isEmpty() {
    return networks.isEmpty();
  }

  public boolean trusts(InetAddress peer) {
    if (peer == null) {
      return false;
    }
    byte[] a = peer.getAddress();
    for (int i = 0; i < networks.size(); i++) {
      byte[] n = networks.get(i);
      if (n.length == a.length && matches(a, n, prefixes.get(i))) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(byte[] a, byte[] n, int prefix) {
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != n[i]) {
        return false;
      }
    }
    int rem = prefix % 8;
    if (rem == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rem)) & 0xFF;
    return (a[full] & mask) == (n[full] & mask);
  }
}
