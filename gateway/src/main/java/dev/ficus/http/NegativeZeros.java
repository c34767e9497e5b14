package dev.ficus.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a JSON text holds a negative zero ({@code -0.0}, {@code -0e0}, {@code -0.000E5}): the
 * gateway reads decimals exactly ({@link Json#MAPPER}: {@code BigDecimal}), and a
 * {@code BigDecimal} has no negative zero, so {@code -0.0} would reach an {@code xs:double} or
 * a proto {@code double} as {@code 0}. These pointers let the SOAP and gRPC sides put the sign
 * back where the target type is a floating point one.
 *
 * <p>Only number tokens with a fraction or an exponent count: a bare {@code -0} is JSON's
 * integer zero (an integer field must keep taking it), and strings are never touched. Texts
 * without a {@code -0.}, {@code -0e} or {@code -0E} anywhere (nearly all) cost one byte scan;
 * the others a second streaming parse. Stateless; thread-safe.
 */
public final class NegativeZeros {
  private NegativeZeros() {}

  /** Whether {@code text} may hold a negative zero: {@code -0} followed by {@code .}, {@code e} or {@code E}. */
  static boolean mayHave(byte[] text) {
    for (int i = 0; i + 2 < text.length; i++) {
      if (text[i] == '-' && text[i + 1] == '0') {
        byte c = text[i + 2];
        if (c == '.' || c == 'e' || c == 'E') {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The pointers of the negative-zero number tokens of {@code text} (one JSON value, already
   * checked for syntax), in document order; empty when there is none or the text does not parse.
   */
  public static List<JsonPointer> in(byte[] text) {
    if (!mayHave(text)) {
      return List.of();
    }
    List<JsonPointer> out = new ArrayList<>(2);
    try (JsonParser p = Json.MAPPER.createParser(text)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.VALUE_NUMBER_FLOAT && isNegativeZero(p.getText())) {
          out.add(p.getParsingContext().pathAsPointer());
        }
      }
    } catch (IOException e) {
      return List.of(); // the caller's own parse reports the syntax error
    }
    return out;
  }

  /** {@link #in(byte[])} of a string. */
  public static List<JsonPointer> in(String text) {
    return in(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Whether {@code literal} (a number's text) has a leading minus and only zero digits before
   * any exponent ({@code -0}, {@code -0.00}, {@code -0e5}); says nothing of its validity.
   */
  public static boolean isNegativeZero(String literal) {
    if (literal.isEmpty() || literal.charAt(0) != '-') {
      return false;
    }
    for (int i = 1; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (c == 'e' || c == 'E') {
        return true;
      }
      if (c != '0' && c != '.') {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code root} (the tree {@link Json#MAPPER} read from {@code text}) with a {@code -0.0}
   * {@link DoubleNode} at each negative zero of {@code text}: only a double holds the sign. The
   * tree is changed in place; the returned root differs only when the whole text is one number.
   */
  public static JsonNode restore(JsonNode root, byte[] text) {
    for (JsonPointer at : in(text)) {
      if (at.matches()) {
        return DoubleNode.valueOf(-0.0);
      }
      JsonNode parent = root.at(at.head());
      JsonPointer last = at.last();
      if (parent instanceof ObjectNode o) {
        o.set(last.getMatchingProperty(), DoubleNode.valueOf(-0.0));
      } else if (parent instanceof ArrayNode a && last.getMatchingIndex() >= 0) {
        a.set(last.getMatchingIndex(), DoubleNode.valueOf(-0.0));
      }
    }
    return root;
  }
}
