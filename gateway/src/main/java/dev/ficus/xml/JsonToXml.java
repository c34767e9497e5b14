package dev.ficus.xml;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.error.GatewayError.FieldError;
import dev.ficus.http.NumberBounds;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.QName;

/**
 * Writes JSON as XML by walking the schema, never the JSON: element order, namespaces, arrays,
 * {@code xsi:nil} and {@code xsi:type} all come from the compiled types. Every value is checked
 * against its XSD type on the way; all problems are collected as {@link FieldError}s with the
 * JSON pointer at fault, so that a bad request is refused before anything reaches the backend.
 *
 * <p>Namespace prefixes are fixed at compile time ({@code prefixes}) and declared once on the
 * envelope by the caller. Instances are immutable and thread-safe; each call writes into the
 * caller's {@link StringBuilder}.
 */
public final class JsonToXml {
  private final Map<String, String> prefixes;
  private final boolean rejectUnknown;

  /**
   * @param prefixes namespace URI → prefix for every namespace the written types use
   * @param rejectUnknown whether JSON members the schema does not know are errors
   */
  public JsonToXml(Map<String, String> prefixes, boolean rejectUnknown) {
    this.prefixes = Map.copyOf(prefixes);
    this.rejectUnknown = rejectUnknown;
  }

  /** Writes the content (the child elements) of {@code type} from the JSON object {@code obj}. */
  public void writeContent(XsdComplexType type, JsonNode obj, String pointer, StringBuilder out,
      List<FieldError> errors) {
    if (obj == null || obj.isNull() || obj.isMissingNode()) {
      obj = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }
    if (!obj.isObject()) {
      errors.add(new FieldError(pointer, "expected a JSON object, got " + kind(obj)));
      return;
    }
    if (type.particle() != null) {
      writeParticle(type, type.particle(), obj, pointer, out, errors);
    }
    checkUnknown(type, obj, pointer, errors);
  }

  /** Writes one element (with its start and end tags) for the JSON value {@code v}. */
  public void writeElement(XsdElement e, JsonNode v, String pointer, StringBuilder out, List<FieldError> errors) {
    if (e.isAbstract()) {
      errors.add(new FieldError(pointer, e.name().getLocalPart() + " is an abstract element: "
          + (e.substitutes().isEmpty() ? "nothing in the schema may stand in its place"
              : "give one of " + e.substitutes() + " in its place")));
      return;
    }
    String qn = qname(e.name());
    if (v.isNull()) {
      if (e.nillable()) {
        out.append('<').append(qn).append(" xsi:nil=\"true\"/>");
      } else if (e.minOccurs() > 0) {
        errors.add(new FieldError(pointer, "must not be null"));
      }
      return;
    }
    XsdSimpleType st = e.simpleType();
    if (st != null) {
      String text = simpleText(st, v, pointer, errors);
      if (text != null) {
        out.append('<').append(qn);
        if (QNames.isQName(st)) {
          QNames.Declarations d = new QNames.Declarations(prefixes);
          text = d.lexical(text);
          d.appendTo(out);
        }
        out.append('>');
        appendText(out, text, false, pointer, errors);
        out.append("</").append(qn).append('>');
      }
      return;
    }
    XsdComplexType ct = e.complexType();
    if (!v.isObject()) {
      errors.add(new FieldError(pointer, "expected an object (" + ct.displayName() + "), got " + kind(v)));
      return;
    }
    XsdComplexType actual = ct;
    JsonNode typeName = v.get(XsdComplexType.TYPE_MEMBER);
    if (typeName != null) {
      actual = typeName.isTextual() ? ct.subtypeByLocalName(typeName.asText()) : null;
      if (actual == null || actual.isAbstract()) {
        errors.add(new FieldError(pointer + "/" + XsdComplexType.TYPE_MEMBER,
            "must be one of " + ct.subtypeNames() + ", got " + (typeName.isTextual() ? "'" + typeName.asText() + "'" : kind(typeName))));
        return;
      }
    } else if (ct.isAbstract()) {
      errors.add(new FieldError(pointer, ct.displayName() + " is abstract: add \"" + XsdComplexType.TYPE_MEMBER
          + "\" with one of " + ct.subtypeNames()));
      return;
    }
    out.append('<').append(qn);
    if (actual != ct) {
      out.append(" xsi:type=\"").append(qname(actual.name())).append('"');
    }
    // Declarations for QName values of this start tag, made only when there is one.
    QNames.Declarations decls = null;
    if (actual.hasAttributes()) {
      for (JsonField f : actual.fields()) {
        if (f.kind() != JsonField.Kind.ATTRIBUTE) {
          continue;
        }
        JsonNode av = v.get(f.jsonName());
        String ap = pointer + "/" + f.jsonName();
        if (av == null || av.isNull()) {
          if (f.required()) {
            errors.add(new FieldError(ap, "is required (attribute, " + f.attributeType().describe() + ")"));
          }
          continue;
        }
        String text = simpleText(f.attributeType(), av, ap, errors);
        if (text != null && QNames.isQName(f.attributeType())) {
          decls = decls == null ? new QNames.Declarations(prefixes) : decls;
          text = decls.lexical(text);
        }
        if (text != null) {
          out.append(' ').append(qname(f.xmlName())).append("=\"");
          appendText(out, text, true, ap, errors);
          out.append('"');
        }
      }
    }
    String content = null;
    String vp = pointer + "/" + XsdComplexType.TEXT_MEMBER;
    if (actual.simpleContent() != null) {
      JsonNode tv = v.get(XsdComplexType.TEXT_MEMBER);
      content = tv == null || tv.isNull() ? null : simpleText(actual.simpleContent(), tv, vp, errors);
      if (content != null && QNames.isQName(actual.simpleContent())) {
        decls = decls == null ? new QNames.Declarations(prefixes) : decls;
        content = decls.lexical(content);
      }
    }
    if (decls != null) {
      decls.appendTo(out);
    }
    if (actual.simpleContent() != null) {
      out.append('>');
      if (content != null) {
        appendText(out, content, false, vp, errors);
      }
      out.append("</").append(qn).append('>');
    } else if (actual.particle() == null) {
      out.append("/>");
    } else {
      out.append('>');
      writeParticle(actual, actual.particle(), v, pointer, out, errors);
      out.append("</").append(qn).append('>');
    }
    checkUnknown(actual, v, pointer, errors);
  }

  private void writeParticle(XsdComplexType type, XsdParticle p, JsonNode obj, String pointer, StringBuilder out,
      List<FieldError> errors) {
    if (p instanceof XsdElement e) {
      JsonField f = type.elementField(e.name());
      if (f == null || f.element() != e) {
        // An element named twice in one content model is one JSON member, written once.
        return;
      }
      JsonNode v = obj.get(f.jsonName());
      String ep = pointer + "/" + escapePointer(f.jsonName());
      if (v == null) {
        if (f.required()) {
          errors.add(new FieldError(ep, "is required (" + describe(e) + ")"));
        }
        return;
      }
      if (f.array()) {
        if (v.isNull()) {
          if (f.required()) {
            errors.add(new FieldError(ep, "is required (an array of " + describe(e) + ")"));
          }
          return;
        }
        if (!v.isArray()) {
          errors.add(new FieldError(ep, "expected an array of " + describe(e) + ", got " + kind(v)));
          return;
        }
        if (f.required() && v.size() < e.minOccurs()) {
          errors.add(new FieldError(ep, "needs at least " + e.minOccurs() + " item(s), got " + v.size()));
        }
        if (v.size() > f.maxItems()) {
          errors.add(new FieldError(ep, "allows at most " + f.maxItems() + " item(s), got " + v.size()));
        }
        for (int i = 0; i < v.size(); i++) {
          writeElement(e, v.get(i), ep + "/" + i, out, errors);
        }
      } else {
        writeElement(e, v, ep, out, errors);
      }
    } else if (p instanceof XsdParticle.Any any) {
      if (type.wildcard() != null && type.wildcard().first() == any) {
        writeWildcard(type.wildcard(), obj, pointer, out, errors);
      }
    } else if (p instanceof XsdParticle.Group g) {
      if (g.kind() == XsdParticle.Group.Kind.CHOICE) {
        List<XsdParticle> present = new ArrayList<>(2);
        for (XsdParticle c : g.children()) {
          if (isPresent(type, c, obj)) {
            present.add(c);
          }
        }
        if (present.size() > 1 && g.max() <= 1) {
          errors.add(new FieldError(pointer,
              "give only one of " + branchNames(type, g) + ", got " + branchNames(type, present)));
          return;
        }
        if (present.isEmpty() && !emptiable(g) && type.particle() != null && groupRequired(type, g)) {
          errors.add(new FieldError(pointer, "one of " + branchNames(type, g) + " is required"));
          return;
        }
        for (XsdParticle c : present) {
          writeParticle(type, c, obj, pointer, out, errors);
        }
      } else {
        for (XsdParticle c : g.children()) {
          writeParticle(type, c, obj, pointer, out, errors);
        }
      }
    }
  }

  /**
   * Whether {@code p} may match nothing at all (XSD 1.0 "Particle Emptiable"): it has
   * minOccurs 0, or it is a sequence or all whose every child is emptiable, or a choice that
   * is empty or has an emptiable branch. A choice like that needs no branch from the client:
   * the empty branch is a valid pick, so nothing is written in its place.
   */
  static boolean emptiable(XsdParticle p) {
    if (p.min() == 0) {
      return true;
    }
    if (!(p instanceof XsdParticle.Group g)) {
      return false;
    }
    if (g.kind() == XsdParticle.Group.Kind.CHOICE) {
      return g.children().isEmpty() || g.children().stream().anyMatch(JsonToXml::emptiable);
    }
    return g.children().stream().allMatch(JsonToXml::emptiable);
  }

  /**
   * The content of a type's wildcards: first the known elements given by name (in the JSON's
   * order), then the XML text items of {@code @any}, each checked to be one well-formed element.
   */
  private void writeWildcard(XsdWildcard w, JsonNode obj, String pointer, StringBuilder out,
      List<FieldError> errors) {
    int count = 0;
    Iterator<Map.Entry<String, JsonNode>> members = obj.fields();
    while (members.hasNext()) {
      Map.Entry<String, JsonNode> m = members.next();
      XsdElement e = w.element(m.getKey());
      if (e == null) {
        continue;
      }
      String ep = pointer + "/" + escapePointer(m.getKey());
      JsonNode v = m.getValue();
      if (!w.array()) {
        writeElement(e, v, ep, out, errors);
        count++;
      } else if (!v.isArray()) {
        errors.add(new FieldError(ep, "expected an array (the xs:any it fills may repeat), got " + kind(v)));
      } else {
        for (int i = 0; i < v.size(); i++) {
          writeElement(e, v.get(i), ep + "/" + i, out, errors);
        }
        count += v.size();
      }
    }
    JsonNode raw = obj.get(XsdComplexType.ANY_MEMBER);
    String ap = pointer + "/" + XsdComplexType.ANY_MEMBER;
    if (raw != null && !raw.isNull()) {
      if (!raw.isArray()) {
        errors.add(new FieldError(ap, "expected an array of strings, each the XML text of one element, got " + kind(raw)));
      } else {
        for (int i = 0; i < raw.size(); i++) {
          JsonNode item = raw.get(i);
          if (!item.isTextual()) {
            errors.add(new FieldError(ap + "/" + i, "expected the XML text of one element, got " + kind(item)));
            continue;
          }
          try {
            out.append(XmlFragments.parseOne(item.textValue()));
          } catch (javax.xml.stream.XMLStreamException | RuntimeException e) {
            errors.add(new FieldError(ap + "/" + i, "is not one well-formed XML element: " + xmlProblem(e)));
          }
        }
        count += raw.size();
      }
    }
    if (count < w.minItems()) {
      errors.add(new FieldError(ap, "the xs:any here needs at least " + w.minItems() + " element(s), got " + count
          + (w.elements().isEmpty() ? "" : "; give " + List.copyOf(w.elements().keySet()) + " by name, or")
          + " XML text in " + XsdComplexType.ANY_MEMBER));
    } else if (count > w.maxItems()) {
      errors.add(new FieldError(ap, "the xs:any here takes at most " + w.maxItems() + " element(s), got " + count));
    }
  }

  private static String xmlProblem(Exception e) {
    String msg = e.getMessage() == null ? "malformed XML" : e.getMessage();
    int nl = msg.indexOf("\nMessage: ");
    msg = (nl >= 0 ? msg.substring(nl + 10) : msg).trim();
    return msg.length() > 200 ? msg.substring(0, 200) + "…" : msg;
  }

  /** A choice is required when it and every group around it has minOccurs &ge; 1. */
  private static boolean groupRequired(XsdComplexType type, XsdParticle.Group target) {
    return requiredPath(type.particle(), target);
  }

  private static boolean requiredPath(XsdParticle p, XsdParticle.Group target) {
    if (p == target) {
      return true;
    }
    if (p instanceof XsdParticle.Group g && g.min() > 0) {
      for (XsdParticle c : g.children()) {
        if (requiredPath(c, target)) {
          return g.kind() != XsdParticle.Group.Kind.CHOICE;
        }
      }
    }
    return false;
  }

  private static boolean isPresent(XsdComplexType type, XsdParticle p, JsonNode obj) {
    if (p instanceof XsdElement e) {
      JsonField f = type.elementField(e.name());
      return f != null && obj.has(f.jsonName());
    }
    if (p instanceof XsdParticle.Group g) {
      for (XsdParticle c : g.children()) {
        if (isPresent(type, c, obj)) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<String> branchNames(XsdComplexType type, XsdParticle.Group g) {
    return branchNames(type, g.children());
  }

  private static List<String> branchNames(XsdComplexType type, List<XsdParticle> branches) {
    List<String> names = new ArrayList<>();
    for (XsdParticle c : branches) {
      if (c instanceof XsdElement e && e.isAbstract()) {
        continue;
      }
      if (c instanceof XsdElement e) {
        JsonField f = type.elementField(e.name());
        names.add(f == null ? e.name().getLocalPart() : f.jsonName());
      } else if (c instanceof XsdParticle.Group g) {
        names.add(String.join("+", branchNames(type, g)));
      }
    }
    return names;
  }

  private void checkUnknown(XsdComplexType type, JsonNode obj, String pointer, List<FieldError> errors) {
    if (!rejectUnknown) {
      return;
    }
    Iterator<String> names = obj.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (type.field(n) == null && !XsdComplexType.TYPE_MEMBER.equals(n) && !inWildcard(type, n)) {
        List<String> known = new ArrayList<>();
        type.fields().forEach(f -> known.add(f.jsonName()));
        String hint = dev.ficus.config.Problems.suggestion(n, known);
        errors.add(new FieldError(pointer + "/" + escapePointer(n), "unknown field" + hint));
      }
    }
  }

  private static boolean inWildcard(XsdComplexType type, String member) {
    XsdWildcard w = type.wildcard();
    return w != null && (XsdComplexType.ANY_MEMBER.equals(member) || w.element(member) != null);
  }

  /**
   * The XML lexical form of {@code v} for {@code st}, or null (with an error added). Also used
   * to check request parameters at the parameter, before the envelope is written.
   */
  public static String simpleText(XsdSimpleType st, JsonNode v, String pointer, List<FieldError> errors) {
    if (st.isList()) {
      if (!v.isArray()) {
        errors.add(new FieldError(pointer, "expected an array (" + st.describe() + "), got " + kind(v)));
        return null;
      }
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < v.size(); i++) {
        String item = simpleText(st.listItem(), v.get(i), pointer + "/" + i, errors);
        if (item != null) {
          if (sb.length() > 0) {
            sb.append(' ');
          }
          sb.append(item);
        }
      }
      return sb.toString();
    }
    String bound = bound(st.kind(), v);
    if (bound != null) {
      errors.add(new FieldError(pointer, bound));
      return null;
    }
    String text = scalarText(st, v);
    if (text == null) {
      errors.add(new FieldError(pointer, "expected " + st.describe() + ", got "
          + (st.kind() == SimpleKind.QNAME && v.isTextual() ? qnameHint(v.textValue()) : kind(v))));
      return null;
    }
    if (!st.enumeration().isEmpty() && !st.enumeration().contains(text)) {
      errors.add(new FieldError(pointer, "expected " + st.describe() + ", got '" + text + "'"));
      return null;
    }
    return text;
  }

  /**
   * Why the number {@code v} (a JSON number, or a string where the kind takes one) cannot be
   * written, or null: checked before any conversion, since turning {@code 1e999999999} into
   * {@code xs:decimal}'s plain digits is what costs (see {@link NumberBounds}).
   */
  private static String bound(SimpleKind k, JsonNode v) {
    SimpleKind.Json j = k.json();
    if (j != SimpleKind.Json.INTEGER && j != SimpleKind.Json.DECIMAL && j != SimpleKind.Json.FLOAT) {
      return null;
    }
    String problem = null;
    if (v.isBigDecimal()) {
      problem = NumberBounds.problem(v.decimalValue());
    } else if (v.isBigInteger()) {
      problem = NumberBounds.problem(v.bigIntegerValue());
    } else if (v.isTextual()) {
      problem = NumberBounds.literalProblem(v.textValue());
    } else if (v.isFloatingPointNumber()) {
      problem = NumberBounds.problem(v.decimalValue());
    }
    if (problem != null) {
      return problem;
    }
    if (j == SimpleKind.Json.FLOAT && v.isNumber()) {
      // A finite JSON number past the type's range is not INF: the client did not say INF.
      double d = v.doubleValue();
      if (Double.isInfinite(d) || (k == SimpleKind.FLOAT && Float.isInfinite((float) d))) {
        return "is out of the range of xs:" + (k == SimpleKind.FLOAT ? "float" : "double");
      }
    }
    return null;
  }

  private static String qnameHint(String text) {
    String shown = "'" + (text.length() > 60 ? text.substring(0, 60) + "…" : text) + "'";
    int colon = text.indexOf(':');
    if (colon > 0 && !text.startsWith("{")) {
      return shown + ": a prefix means nothing outside an XML document; write the namespace, as in '{urn:example}"
          + text.substring(colon + 1) + "'";
    }
    return shown;
  }

  private static String scalarText(XsdSimpleType st, JsonNode v) {
    SimpleKind k = st.kind();
    switch (k.json()) {
      case STRING -> {
        if (!v.isTextual()) {
          return null;
        }
        String s = v.textValue();
        return k.lexicallyValid(s) ? s : null;
      }
      case BOOLEAN -> {
        return v.isBoolean() ? (v.booleanValue() ? "true" : "false") : null;
      }
      case INTEGER -> {
        BigInteger b = null;
        if (v.isIntegralNumber()) {
          if (v.canConvertToLong()) {
            long l = v.longValue();
            if (k == SimpleKind.INT || k == SimpleKind.LONG) {
              return (k == SimpleKind.LONG || (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE)) ? Long.toString(l) : null;
            }
            b = BigInteger.valueOf(l);
          } else {
            b = v.bigIntegerValue();
          }
        } else if (v.isTextual() && k.isPrecisionSensitive()) {
          try {
            b = new BigInteger(v.textValue().trim());
          } catch (NumberFormatException e) {
            return null;
          }
        }
        return b != null && k.inRange(b) ? b.toString() : null;
      }
      case DECIMAL -> {
        if (v.isNumber()) {
          return v.isIntegralNumber() ? v.bigIntegerValue().toString() : v.decimalValue().toPlainString();
        }
        if (v.isTextual()) {
          BigDecimal d = SimpleKind.parseDecimal(v.textValue());
          return d == null ? null : d.toPlainString();
        }
        return null;
      }
      case FLOAT -> {
        if (v.isDouble() && Double.doubleToRawLongBits(v.doubleValue()) == Long.MIN_VALUE) {
          return "-0"; // negative zero (NegativeZeros): a decimal would drop the sign
        }
        if (v.isNumber()) {
          return v.isIntegralNumber() ? v.bigIntegerValue().toString() : v.decimalValue().toString();
        }
        if (v.isTextual()) {
          return switch (v.textValue()) {
            case "NaN" -> "NaN";
            case "Infinity", "INF" -> "INF";
            case "-Infinity", "-INF" -> "-INF";
            default -> null;
          };
        }
        return null;
      }
      default -> {
        return null;
      }
    }
  }

  private static void appendText(StringBuilder out, String text, boolean attribute, String pointer,
      List<FieldError> errors) {
    int bad = XmlText.append(out, text, attribute);
    if (bad >= 0) {
      errors.add(new FieldError(pointer, String.format("contains the character U+%04X, which XML cannot carry", bad)));
    }
  }

  private String qname(QName q) {
    String ns = q.getNamespaceURI();
    if (ns == null || ns.isEmpty()) {
      return q.getLocalPart();
    }
    String p = prefixes.get(ns);
    if (p == null) {
      throw new IllegalStateException("no prefix for namespace " + ns + " (compile-time namespace scan missed it)");
    }
    return p + ":" + q.getLocalPart();
  }

  private static String describe(XsdElement e) {
    if (e.simpleType() != null) {
      return e.simpleType().describe();
    }
    return "an object of type " + e.complexType().displayName();
  }

  static String kind(JsonNode v) {
    return switch (v.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case STRING -> "a string";
      case NUMBER -> "the number " + v.asText();
      case BOOLEAN -> v.asText();
      case NULL -> "null";
      default -> "nothing";
    };
  }

  /** Escapes a member name for use in a JSON pointer (RFC 6901). */
  public static String escapePointer(String name) {
    return name.indexOf('~') < 0 && name.indexOf('/') < 0 ? name : name.replace("~", "~0").replace("/", "~1");
  }
}
