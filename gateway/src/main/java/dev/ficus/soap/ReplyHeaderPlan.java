package dev.ficus.soap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ficus.error.GatewayError;
import dev.ficus.error.GatewayException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the reply's {@code soap:Header} elements go ({@code response.soapHeaders}): each into a
 * member of the JSON reply, or (simple-typed ones) into an HTTP response header; or all of them
 * into one member, keyed by local name. The header values arrive already read by their schema
 * ({@link EnvelopeCodec}); names were checked against the WSDL when the mapping compiled.
 * Immutable and thread-safe.
 */
final class ReplyHeaderPlan {
  /** No header returned. */
  static final ReplyHeaderPlan NONE = new ReplyHeaderPlan(null, List.of());

  /**
   * One header element (by local name) to return: as the HTTP header {@code name} when
   * {@code http}, else as the member {@code name} of the JSON reply.
   */
  record Target(String element, boolean http, String name) {}

  private final String allInto;
  private final List<Target> targets;

  /** @param allInto the member that takes every returned header, or null for per-element targets */
  ReplyHeaderPlan(String allInto, List<Target> targets) {
    this.allInto = allInto;
    this.targets = List.copyOf(targets);
  }

  boolean isEmpty() {
    return allInto == null && targets.isEmpty();
  }

  /**
   * Adds the headers bound to members to {@code reply} (the JSON after select and rename) and
   * returns it. A reply that is not an object (a selected member that is absent) is returned
   * as is: there is no object to carry them.
   */
  JsonNode intoBody(JsonNode reply, ObjectNode headers) {
    if (!(reply instanceof ObjectNode o)) {
      return reply;
    }
    if (allInto != null) {
      o.set(allInto, headers);
      return o;
    }
    for (Target t : targets) {
      JsonNode v = headers.get(t.element());
      if (!t.http() && v != null) {
        o.set(t.name(), v);
      }
    }
    return o;
  }

  /**
   * The HTTP response headers (name, value) of the headers bound to them, in mapping order;
   * absent or nil header elements give none. Throws a 502 for a value that HTTP cannot carry
   * (a control character such as a line break), which must never reach the response head.
   */
  List<Map.Entry<String, String>> httpHeaders(ObjectNode headers, String operation) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (Target t : targets) {
      JsonNode v = headers.get(t.element());
      if (!t.http() || v == null || v.isNull()) {
        continue;
      }
      String text = text(v);
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c < 0x20 && c != '\t' || c == 0x7f) {
          throw new GatewayException(GatewayError.of(GatewayError.Code.BAD_GATEWAY, "The backend's reply to "
              + operation + " has a soap:header '" + t.element() + "' whose value cannot be the HTTP header "
              + t.name() + " (it holds the control character U+" + String.format("%04X", (int) c) + ")"));
        }
      }
      out.add(Map.entry(t.name(), text));
    }
    return out;
  }

  /** A scalar's text (numbers as the backend wrote them); an xs:list's items joined by spaces. */
  private static String text(JsonNode v) {
    if (v.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode item : v) {
        if (!sb.isEmpty()) {
          sb.append(' ');
        }
        sb.append(item.asText());
      }
      return sb.toString();
    }
    return v.isBigDecimal() ? v.decimalValue().toPlainString() : v.asText();
  }
}
