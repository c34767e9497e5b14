package dev.ficus.xml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.QName;

/**
 * A compiled complex type and its JSON view. Content is either a particle (elements), simple
 * content (a text value plus attributes) or empty. Extension is flattened: the particle of a
 * derived type is its base's particle followed by its own, its attributes the union.
 *
 * <p>The JSON view ({@link #fields()}) lists every member in schema order: attributes first,
 * then the text value, then elements in content order. Lookup maps by JSON name and by XML
 * name make both translation directions a hash lookup. Built once while the schema compiles;
 * read-only afterwards, so instances are safe to share between threads.
 */
public final class XsdComplexType {
  /** JSON member naming the concrete type when an instance uses {@code xsi:type}. */
  public static final String TYPE_MEMBER = "@type";
  /** JSON member holding the text of a simple-content type. */
  public static final String TEXT_MEMBER = "value";
  /** JSON member holding {@code xs:any} content that is not JSON by a schema, as XML text. */
  public static final String ANY_MEMBER = "@any";

  private final QName name;
  private final boolean isAbstract;
  private XsdComplexType base;
  private XsdParticle particle;
  private XsdSimpleType simpleContent;
  private final List<JsonField> attributes = new ArrayList<>();
  private List<JsonField> fields = List.of();
  private Map<String, JsonField> byJsonName = Map.of();
  private Map<QName, JsonField> elementsByXmlName = Map.of();
  private Map<QName, JsonField> attributesByXmlName = Map.of();
  private final Map<QName, XsdComplexType> subtypes = new LinkedHashMap<>();
  private final Map<String, XsdComplexType> subtypesByLocalName = new HashMap<>();
  private final List<String> collisions = new ArrayList<>();
  private XsdWildcard wildcard;

  XsdComplexType(QName name, boolean isAbstract) {
    this.name = name;
    this.isAbstract = isAbstract;
  }

  /** A synthetic type with the given content (a SOAP body of parts, an rpc wrapper). */
  public static XsdComplexType synthetic(XsdParticle particle) {
    XsdComplexType t = new XsdComplexType(null, false);
    t.particle = particle;
    t.freeze();
    return t;
  }

  void setBase(XsdComplexType base) {
    this.base = base;
  }

  void setParticle(XsdParticle particle) {
    this.particle = particle;
  }

  void setSimpleContent(XsdSimpleType simpleContent) {
    this.simpleContent = simpleContent;
  }

  /** Adds an attribute; one of the same name (inherited from a base) is replaced. */
  void addAttribute(QName xmlName, XsdSimpleType type, boolean required) {
    removeAttribute(xmlName);
    attributes.add(new JsonField(xmlName.getLocalPart(), JsonField.Kind.ATTRIBUTE, xmlName, null, type, false,
        required, null, 1));
  }

  void removeAttribute(QName xmlName) {
    attributes.removeIf(f -> f.xmlName().equals(xmlName));
  }

  void addSubtype(XsdComplexType t) {
    subtypes.put(t.name, t);
    subtypesByLocalName.putIfAbsent(t.name.getLocalPart(), t);
  }

  /** Computes the JSON view; called once after all types of the schema are linked. */
  void freeze() {
    List<JsonField> list = new ArrayList<>(attributes);
    if (simpleContent != null) {
      list.add(new JsonField(TEXT_MEMBER, JsonField.Kind.TEXT, null, null, simpleContent, false, false, null, 1));
    }
    if (particle != null) {
      flatten(particle, 1, 1, null, list);
    }
    Map<String, JsonField> byJson = new LinkedHashMap<>();
    Map<QName, JsonField> byXml = new HashMap<>();
    Map<QName, JsonField> attrs = new HashMap<>();
    for (JsonField f : list) {
      JsonField prev = byJson.putIfAbsent(f.jsonName(), f);
      if (prev != null && !(prev.kind() == JsonField.Kind.ELEMENT && f.kind() == JsonField.Kind.ELEMENT
          && prev.xmlName().equals(f.xmlName()))) {
        collisions.add("'" + f.jsonName() + "' is both " + describe(prev) + " and " + describe(f));
      }
      if (f.kind() == JsonField.Kind.ELEMENT) {
        byXml.putIfAbsent(f.xmlName(), f);
      } else if (f.kind() == JsonField.Kind.ATTRIBUTE) {
        attrs.put(f.xmlName(), f);
      }
    }
    if (!subtypes.isEmpty() || base != null) {
      if (byJson.containsKey(TYPE_MEMBER)) {
        collisions.add("'" + TYPE_MEMBER + "' is reserved for xsi:type");
      }
    }
    this.wildcard = particle == null ? null : XsdWildcard.of(particle, byJson.keySet());
    this.fields = List.copyOf(list);
    this.byJsonName = Collections.unmodifiableMap(byJson);
    this.elementsByXmlName = Map.copyOf(byXml);
    this.attributesByXmlName = Map.copyOf(attrs);
  }

  private static String describe(JsonField f) {
    return switch (f.kind()) {
      case ATTRIBUTE -> "attribute " + f.xmlName();
      case TEXT -> "the text value";
      case ELEMENT -> "element " + f.xmlName();
    };
  }

  private static void flatten(XsdParticle p, int minFactor, int maxFactor, XsdParticle.Group choice,
      List<JsonField> out) {
    if (p instanceof XsdElement e) {
      int max = multiply(e.maxOccurs(), maxFactor);
      boolean required = choice == null && e.minOccurs() * minFactor > 0;
      // The same element may appear twice in a content model (rare); keep the first as the field.
      for (JsonField f : out) {
        if (f.kind() == JsonField.Kind.ELEMENT && f.xmlName().equals(e.name())) {
          return;
        }
      }
      out.add(new JsonField(e.name().getLocalPart(), JsonField.Kind.ELEMENT, e.name(), e, null, max > 1, required,
          choice, max));
    } else if (p instanceof XsdParticle.Group g) {
      XsdParticle.Group innerChoice = g.kind() == XsdParticle.Group.Kind.CHOICE ? g : choice;
      for (XsdParticle c : g.children()) {
        flatten(c, minFactor * g.min(), multiply(maxFactor, g.max()), innerChoice, out);
      }
    }
  }

  private static int multiply(int a, int b) {
    long r = (long) a * b;
    return r > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) r;
  }

  public QName name() {
    return name;
  }

  /** Display name for messages. */
  public String displayName() {
    return name == null ? "(anonymous type)" : name.getLocalPart();
  }

  public boolean isAbstract() {
    return isAbstract;
  }

  public XsdComplexType base() {
    return base;
  }

  public XsdParticle particle() {
    return particle;
  }

  public XsdSimpleType simpleContent() {
    return simpleContent;
  }

  public List<JsonField> fields() {
    return fields;
  }

  public JsonField field(String jsonName) {
    return byJsonName.get(jsonName);
  }

  public JsonField elementField(QName xmlName) {
    return elementsByXmlName.get(xmlName);
  }

  public JsonField attributeField(QName xmlName) {
    return attributesByXmlName.get(xmlName);
  }

  /** The type's {@code xs:any} wildcards, or null when it has none. */
  public XsdWildcard wildcard() {
    return wildcard;
  }

  public boolean hasAttributes() {
    return !attributes.isEmpty();
  }

  /** True when some type derives from this one, so instances may carry {@code xsi:type}. */
  public boolean hasSubtypes() {
    return !subtypes.isEmpty();
  }

  /** A type derived (directly or not) from this one, by xsi:type QName; null if none. */
  public XsdComplexType subtype(QName typeName) {
    return name != null && name.equals(typeName) ? this : subtypes.get(typeName);
  }

  /** A type derived from this one, by local name as written in JSON's {@code @type}; null if none. */
  public XsdComplexType subtypeByLocalName(String localName) {
    return name != null && name.getLocalPart().equals(localName) ? this : subtypesByLocalName.get(localName);
  }

  public List<String> subtypeNames() {
    List<String> names = new ArrayList<>();
    if (name != null && !isAbstract) {
      names.add(name.getLocalPart());
    }
    subtypes.keySet().forEach(q -> names.add(q.getLocalPart()));
    return names;
  }

  /** JSON name collisions found when the type compiled (empty when the JSON view is sound). */
  public List<String> collisions() {
    return List.copyOf(collisions);
  }
}
