package dev.ficus.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares JSON trees the way a client would: numbers by value ({@code 19.990 == 19.99},
 * {@code 2 == 2.0}), everything else exactly, member order ignored. Reports the first
 * difference with its JSON pointer, so a failing round trip says where it broke.
 */
final class JsonCompare {
  private JsonCompare() {}

  /** The first difference between {@code expected} and {@code actual}, or null when they agree. */
  static String firstDifference(JsonNode expected, JsonNode actual) {
    return diff("", expected, actual);
  }

  private static String diff(String at, JsonNode e, JsonNode a) {
    String where = at.isEmpty() ? "the root" : at;
    if (a == null || a.isMissingNode()) {
      return where + ": expected " + e + ", but it is missing";
    }
    if (e.isNumber() && a.isNumber()) {
      return e.decimalValue().compareTo(a.decimalValue()) == 0 ? null
          : where + ": expected the number " + e + ", got " + a;
    }
    if (e.getNodeType() != a.getNodeType()) {
      return where + ": expected " + e.getNodeType() + " " + e + ", got " + a.getNodeType() + " " + a;
    }
    if (e.isObject()) {
      Set<String> names = new TreeSet<>();
      e.fieldNames().forEachRemaining(names::add);
      a.fieldNames().forEachRemaining(names::add);
      for (String n : names) {
        String p = at + "/" + n;
        if (!e.has(n)) {
          return p + ": not expected, got " + a.get(n);
        }
        String d = diff(p, e.get(n), a.get(n));
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (e.isArray()) {
      if (e.size() != a.size()) {
        return where + ": expected " + e.size() + " items, got " + a.size() + ": " + a;
      }
      for (int i = 0; i < e.size(); i++) {
        String d = diff(at + "/" + i, e.get(i), a.get(i));
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    return e.equals(a) ? null : where + ": expected " + e + ", got " + a;
  }
}
