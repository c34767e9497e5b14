package dev.ficus.xml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ficus.http.NumberBounds;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads XML into JSON by the schema: repeated elements are always arrays (empty when absent),
 * numbers are numbers (or strings for precision-sensitive types when asked), booleans are
 * booleans, {@code xsi:nil} is null, attributes are members, and {@code xsi:type} becomes
 * {@code "@type"}. Elements the schema does not know are skipped (a backend may add fields
 * before the WSDL is updated). A value that does not parse by its type is an error naming the
 * JSON pointer. Immutable and thread-safe.
 */
public final class XmlToJson {
  private static final JsonNodeFactory F = JsonNodeFactory.withExactBigDecimals(true);
  private static final String XSI = XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI;
  /** The xs:double lexical space less INF and NaN (Java's parser also takes hex and a d suffix). */
  private static final java.util.regex.Pattern FLOATING =
      java.util.regex.Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

  private final boolean preciseAsStrings;
  private final int maxDepth;

  /**
   * @param preciseAsStrings render xs:decimal, xs:long and unbounded integers as JSON strings
   * @param maxDepth the deepest element nesting accepted before the reply is refused
   */
  public XmlToJson(boolean preciseAsStrings, int maxDepth) {
    this.preciseAsStrings = preciseAsStrings;
    this.maxDepth = maxDepth;
  }

  /** A value in the reply that does not fit the schema. */
  public static final class InvalidReplyException extends Exception {
    public InvalidReplyException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Reads the children of the element the reader is positioned on (START_ELEMENT) as members
   * of {@code type}; returns with the reader on the matching END_ELEMENT.
   */
  public ObjectNode readContent(XMLStreamReader r, XsdComplexType type, List<String> path)
      throws XMLStreamException, InvalidReplyException {
    return (ObjectNode) readComplex(r, type, path, 0, false);
  }

  /**
   * Reads sibling elements as members of {@code type}, starting with the START_ELEMENT the
   * reader is on and ending on the parent's END_ELEMENT (used for document-style bodies, whose
   * parts are the Body's children).
   */
  public ObjectNode readMembers(XMLStreamReader r, XsdComplexType type, List<String> path)
      throws XMLStreamException, InvalidReplyException {
    ObjectNode obj = F.objectNode();
    boolean arrays = readChildren(r, type, obj, path, 0, true);
    return fillEmptyArrays(type, obj, arrays);
  }

  /** Reads the element the reader is positioned on; returns on its END_ELEMENT. */
  public JsonNode readElement(XMLStreamReader r, XsdElement e, List<String> path)
      throws XMLStreamException, InvalidReplyException {
    return readElement(r, e, path, 0);
  }

  private JsonNode readElement(XMLStreamReader r, XsdElement e, List<String> path, int depth)
      throws XMLStreamException, InvalidReplyException {
    if (depth > maxDepth) {
      throw new InvalidReplyException("the reply nests elements deeper than " + maxDepth + " levels");
    }
    String nil = r.getAttributeValue(XSI, "nil");
    if (nil != null && ("true".equals(nil.trim()) || "1".equals(nil.trim()))) {
      skip(r);
      return F.nullNode();
    }
    XsdSimpleType st = e.simpleType();
    if (st != null) {
      // On the END_ELEMENT after text(): the element's namespaces are still in scope there.
      String text = text(r);
      return simple(st, text, path, r.getNamespaceContext());
    }
    return readComplex(r, e.complexType(), path, depth, true);
  }

  private JsonNode readComplex(XMLStreamReader r, XsdComplexType declared, List<String> path, int depth,
      boolean honourXsiType) throws XMLStreamException, InvalidReplyException {
    XsdComplexType type = declared;
    ObjectNode obj = F.objectNode();
    if (honourXsiType) {
      String xsiType = r.getAttributeValue(XSI, "type");
      if (xsiType != null) {
        QName tq = resolve(r, xsiType.trim());
        XsdComplexType sub = declared.subtype(tq);
        if (sub != null) {
          type = sub;
        }
        obj.put(XsdComplexType.TYPE_MEMBER, tq.getLocalPart());
      }
    }
    int attrs = r.getAttributeCount();
    for (int i = 0; i < attrs; i++) {
      JsonField f = type.attributeField(r.getAttributeName(i));
      if (f != null) {
        path.add(f.jsonName());
        obj.set(f.jsonName(), simple(f.attributeType(), r.getAttributeValue(i), path, r.getNamespaceContext()));
        path.remove(path.size() - 1);
      }
    }
    if (type.simpleContent() != null) {
      path.add(XsdComplexType.TEXT_MEMBER);
      String text = text(r);
      obj.set(XsdComplexType.TEXT_MEMBER, simple(type.simpleContent(), text, path, r.getNamespaceContext()));
      path.remove(path.size() - 1);
      return obj;
    }
    boolean arrays = readChildren(r, type, obj, path, depth, false);
    return fillEmptyArrays(type, obj, arrays);
  }

  private boolean readChildren(XMLStreamReader r, XsdComplexType type, ObjectNode obj, List<String> path, int depth,
      boolean onFirstChild) throws XMLStreamException, InvalidReplyException {
    boolean arrays = false;
    boolean first = onFirstChild;
    while (true) {
      int ev = first ? r.getEventType() : r.next();
      first = false;
      if (ev == XMLStreamConstants.START_ELEMENT) {
        JsonField f = type.elementField(r.getName());
        if (f == null) {
          if (type.wildcard() == null) {
            skip(r);
          } else {
            arrays |= readWildcard(r, type.wildcard(), obj, path, depth);
          }
          continue;
        }
        if (f.array()) {
          arrays = true;
          JsonNode existing = obj.get(f.jsonName());
          ArrayNode a = existing instanceof ArrayNode x ? x : obj.putArray(f.jsonName());
          path.add(f.jsonName());
          path.add(Integer.toString(a.size()));
          a.add(readElement(r, f.element(), path, depth + 1));
          path.remove(path.size() - 1);
          path.remove(path.size() - 1);
        } else {
          path.add(f.jsonName());
          obj.set(f.jsonName(), readElement(r, f.element(), path, depth + 1));
          path.remove(path.size() - 1);
        }
      } else if (ev == XMLStreamConstants.END_ELEMENT) {
        return arrays;
      }
    }
  }

  /**
   * An element in a type's {@code xs:any}: JSON under its name when its declaration is known,
   * else one more item of {@code @any}, its XML text. Either way bounded by the reply's size
   * and depth limits, like any other content. Returns whether it made an array.
   */
  private boolean readWildcard(XMLStreamReader r, XsdWildcard w, ObjectNode obj, List<String> path, int depth)
      throws XMLStreamException, InvalidReplyException {
    if (depth + 1 > maxDepth) {
      throw new InvalidReplyException("the reply nests elements deeper than " + maxDepth + " levels");
    }
    XsdElement known = w.element(r.getName());
    String member = known == null ? XsdComplexType.ANY_MEMBER : known.name().getLocalPart();
    if (known != null && !w.array()) {
      path.add(member);
      obj.set(member, readElement(r, known, path, depth + 1));
      path.remove(path.size() - 1);
      return false;
    }
    JsonNode existing = obj.get(member);
    ArrayNode a = existing instanceof ArrayNode x ? x : obj.putArray(member);
    if (known == null) {
      a.add(XmlFragments.read(r));
      return true;
    }
    path.add(member);
    path.add(Integer.toString(a.size()));
    a.add(readElement(r, known, path, depth + 1));
    path.remove(path.size() - 1);
    path.remove(path.size() - 1);
    return true;
  }

  /** Absent repeated elements become empty arrays, placed in schema order; abstract ones never occur. */
  private static ObjectNode fillEmptyArrays(XsdComplexType type, ObjectNode obj, boolean sawArray) {
    boolean missing = false;
    for (JsonField f : type.fields()) {
      if (f.array() && !obj.has(f.jsonName()) && !f.element().isAbstract()) {
        missing = true;
        break;
      }
    }
    if (!missing) {
      return obj;
    }
    ObjectNode ordered = F.objectNode();
    JsonNode t = obj.get(XsdComplexType.TYPE_MEMBER);
    if (t != null) {
      ordered.set(XsdComplexType.TYPE_MEMBER, t);
    }
    for (JsonField f : type.fields()) {
      JsonNode v = obj.get(f.jsonName());
      if (v != null) {
        ordered.set(f.jsonName(), v);
      } else if (f.array() && !f.element().isAbstract()) {
        ordered.putArray(f.jsonName());
      }
    }
    if (type.wildcard() != null) {
      // Wildcard content is not a field: keep it after the fields, as read.
      obj.fields().forEachRemaining(e -> {
        if (!ordered.has(e.getKey())) {
          ordered.set(e.getKey(), e.getValue());
        }
      });
    }
    return ordered;
  }

  private static QName resolve(XMLStreamReader r, String prefixed) {
    int colon = prefixed.indexOf(':');
    String prefix = colon < 0 ? "" : prefixed.substring(0, colon);
    String local = colon < 0 ? prefixed : prefixed.substring(colon + 1);
    String ns = r.getNamespaceURI(prefix);
    return new QName(ns == null ? "" : ns, local);
  }

  /**
   * The text of the current element, ending on its END_ELEMENT. Markup inside (which a simple
   * type should not have, but xs:anyType may) is skipped and only its text kept.
   */
  private static String text(XMLStreamReader r) throws XMLStreamException {
    StringBuilder sb = null;
    String single = null;
    int depth = 1;
    while (true) {
      int ev = r.next();
      if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA || ev == XMLStreamConstants.SPACE
          || ev == XMLStreamConstants.ENTITY_REFERENCE) {
        String t = r.getText();
        if (single == null && sb == null) {
          single = t;
        } else {
          if (sb == null) {
            sb = new StringBuilder(single);
          }
          sb.append(t);
        }
      } else if (ev == XMLStreamConstants.START_ELEMENT) {
        depth++;
      } else if (ev == XMLStreamConstants.END_ELEMENT && --depth == 0) {
        return sb != null ? sb.toString() : single == null ? "" : single;
      }
    }
  }

  /** Skips the current element and everything inside it. */
  public static void skip(XMLStreamReader r) throws XMLStreamException {
    int depth = 1;
    while (depth > 0) {
      int ev = r.next();
      if (ev == XMLStreamConstants.START_ELEMENT) {
        depth++;
      } else if (ev == XMLStreamConstants.END_ELEMENT) {
        depth--;
      }
    }
  }

  /** Converts the lexical value {@code text} of {@code st} to JSON; a QName is kept as its text. */
  public JsonNode simple(XsdSimpleType st, String text, List<String> path) throws InvalidReplyException {
    return simple(st, text, path, null);
  }

  /**
   * Converts the lexical value {@code text} of {@code st} to JSON, resolving QName prefixes
   * against {@code scope} (the namespaces in scope at the element holding the value) into
   * {@code {namespace}local}.
   */
  JsonNode simple(XsdSimpleType st, String text, List<String> path, javax.xml.namespace.NamespaceContext scope)
      throws InvalidReplyException {
    if (st.isList()) {
      ArrayNode a = F.arrayNode();
      for (String item : text.trim().split("\\s+")) {
        if (!item.isEmpty()) {
          a.add(simple(st.listItem(), item, path, scope));
        }
      }
      return a;
    }
    SimpleKind k = st.kind();
    if (k == SimpleKind.QNAME && scope != null) {
      QName q = QNames.resolve(text, scope);
      if (q == null) {
        throw new InvalidReplyException("the backend's reply has the QName '" + shorten(text) + "' at " + pointer(path)
            + ", whose prefix is not declared");
      }
      return F.textNode(QNames.clark(q));
    }
    if (k.json() == SimpleKind.Json.INTEGER || k.json() == SimpleKind.Json.DECIMAL
        || k.json() == SimpleKind.Json.FLOAT) {
      // Before any parsing: a million-digit decimal costs seconds to read and more to write.
      String problem = NumberBounds.literalProblem(text);
      if (problem != null) {
        throw new InvalidReplyException("the backend's reply has a value at " + pointer(path) + " that " + problem);
      }
    }
    switch (k.json()) {
      case STRING -> {
        return F.textNode(text);
      }
      case BOOLEAN -> {
        String t = text.trim();
        if ("true".equals(t) || "1".equals(t)) {
          return F.booleanNode(true);
        }
        if ("false".equals(t) || "0".equals(t)) {
          return F.booleanNode(false);
        }
        throw invalid(text, st, path);
      }
      case INTEGER -> {
        String t = text.trim();
        if (t.startsWith("+")) {
          t = t.substring(1);
        }
        try {
          if (k == SimpleKind.INT || k == SimpleKind.SHORT || k == SimpleKind.BYTE || k == SimpleKind.UNSIGNED_SHORT
              || k == SimpleKind.UNSIGNED_BYTE) {
            int v = Integer.parseInt(t);
            if (k != SimpleKind.INT && !k.inRange(BigInteger.valueOf(v))) {
              throw invalid(text, st, path);
            }
            return F.numberNode(v);
          }
          if (preciseAsStrings && k.isPrecisionSensitive()) {
            new BigInteger(t);
            return F.textNode(t);
          }
          if (k == SimpleKind.LONG || k == SimpleKind.UNSIGNED_INT) {
            long v = Long.parseLong(t);
            if (k == SimpleKind.UNSIGNED_INT && !k.inRange(BigInteger.valueOf(v))) {
              throw invalid(text, st, path);
            }
            return F.numberNode(v);
          }
          BigInteger b = new BigInteger(t);
          return b.bitLength() < 64 ? F.numberNode(b.longValue()) : F.numberNode(b);
        } catch (NumberFormatException e) {
          throw invalid(text, st, path);
        }
      }
      case DECIMAL -> {
        BigDecimal d = SimpleKind.parseDecimal(text);
        if (d == null) {
          throw invalid(text, st, path);
        }
        return preciseAsStrings ? F.textNode(d.toPlainString()) : F.numberNode(d);
      }
      case FLOAT -> {
        String t = text.trim();
        switch (t) {
          case "INF", "+INF" -> {
            return F.textNode("Infinity");
          }
          case "-INF" -> {
            return F.textNode("-Infinity");
          }
          case "NaN" -> {
            return F.textNode("NaN");
          }
          default -> {
            // As the double (or float) it is: the shortest text that reads back as the same
            // value (1.0E-300, not 300 digits), with the sign of -0.0 kept.
            if (!FLOATING.matcher(t).matches()) {
              throw invalid(text, st, path);
            }
            if (k == SimpleKind.FLOAT) {
              float f = Float.parseFloat(t);
              if (Float.isInfinite(f)) {
                throw outOfRange(text, st, path);
              }
              return F.numberNode(f);
            }
            double d = Double.parseDouble(t);
            if (Double.isInfinite(d)) {
              throw outOfRange(text, st, path);
            }
            return F.numberNode(d);
          }
        }
      }
      default -> throw invalid(text, st, path);
    }
  }

  private static String shorten(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }

  private static InvalidReplyException outOfRange(String text, XsdSimpleType st, List<String> path) {
    String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
    return new InvalidReplyException("the backend's reply has '" + shown + "' at " + pointer(path)
        + ", out of the range of " + st.describe());
  }

  private static InvalidReplyException invalid(String text, XsdSimpleType st, List<String> path) {
    String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
    return new InvalidReplyException("the backend's reply has '" + shown + "' at " + pointer(path)
        + " where " + st.describe() + " is expected");
  }

  /** The JSON pointer for a path of member names. */
  public static String pointer(List<String> path) {
    if (path.isEmpty()) {
      return "/";
    }
    StringBuilder sb = new StringBuilder();
    for (String p : path) {
      sb.append('/').append(JsonToXml.escapePointer(p));
    }
    return sb.toString();
  }

  /** A fresh path list for one translation. */
  public static List<String> newPath() {
    return new ArrayList<>(8);
  }
}
