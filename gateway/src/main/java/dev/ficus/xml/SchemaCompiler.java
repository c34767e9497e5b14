package dev.ficus.xml;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import org.apache.ws.commons.schema.XmlSchema;
import org.apache.ws.commons.schema.XmlSchemaAll;
import org.apache.ws.commons.schema.XmlSchemaAny;
import org.apache.ws.commons.schema.XmlSchemaAttribute;
import org.apache.ws.commons.schema.XmlSchemaAttributeGroup;
import org.apache.ws.commons.schema.XmlSchemaAttributeGroupMember;
import org.apache.ws.commons.schema.XmlSchemaAttributeGroupRef;
import org.apache.ws.commons.schema.XmlSchemaAttributeOrGroupRef;
import org.apache.ws.commons.schema.XmlSchemaChoice;
import org.apache.ws.commons.schema.XmlSchemaCollection;
import org.apache.ws.commons.schema.XmlSchemaComplexContentExtension;
import org.apache.ws.commons.schema.XmlSchemaComplexContentRestriction;
import org.apache.ws.commons.schema.XmlSchemaComplexType;
import org.apache.ws.commons.schema.XmlSchemaContent;
import org.apache.ws.commons.schema.XmlSchemaContentModel;
import org.apache.ws.commons.schema.XmlSchemaContentProcessing;
import org.apache.ws.commons.schema.XmlSchemaDerivationMethod;
import org.apache.ws.commons.schema.XmlSchemaElement;
import org.apache.ws.commons.schema.XmlSchemaEnumerationFacet;
import org.apache.ws.commons.schema.XmlSchemaFacet;
import org.apache.ws.commons.schema.XmlSchemaGroup;
import org.apache.ws.commons.schema.XmlSchemaGroupRef;
import org.apache.ws.commons.schema.XmlSchemaObject;
import org.apache.ws.commons.schema.XmlSchemaParticle;
import org.apache.ws.commons.schema.XmlSchemaSequence;
import org.apache.ws.commons.schema.XmlSchemaSimpleContentExtension;
import org.apache.ws.commons.schema.XmlSchemaSimpleContentRestriction;
import org.apache.ws.commons.schema.XmlSchemaSimpleType;
import org.apache.ws.commons.schema.XmlSchemaSimpleTypeContent;
import org.apache.ws.commons.schema.XmlSchemaSimpleTypeList;
import org.apache.ws.commons.schema.XmlSchemaSimpleTypeRestriction;
import org.apache.ws.commons.schema.XmlSchemaType;
import org.apache.ws.commons.schema.XmlSchemaUse;

/**
 * Compiles Apache XmlSchema's model (read from the WSDL's types and the XSDs it imports) into
 * Ficus's own compact model ({@link XsdElement}, {@link XsdComplexType}, {@link XsdSimpleType}),
 * which the translators walk per request.
 *
 * <p>Design: types are compiled lazily from the elements that operations use, memoised by
 * QName so that recursive types terminate and shared types are compiled once. Derived types
 * (for {@code xsi:type}) are found by indexing every complex type of the collection by its
 * base. Problems (a missing type, an unsupported construct) are collected as messages rather
 * than thrown, so that one bad corner of a large WSDL only fails the operations that use it.
 * Not thread-safe; used once per configuration compile.
 */
public final class SchemaCompiler {
  private static final String XSD = XMLConstants.W3C_XML_SCHEMA_NS_URI;
  /** Longest chain of substitution groups followed (a cycle is a schema error, not a hang). */
  private static final int MAX_SUBSTITUTION_DEPTH = 64;

  private final XmlSchemaCollection schemas;
  private final Map<QName, XsdComplexType> complexTypes = new HashMap<>();
  private final Map<QName, XsdSimpleType> simpleTypes = new HashMap<>();
  private final Map<QName, XsdElement> globalElements = new HashMap<>();
  private final Map<QName, List<QName>> derivedByBase = new HashMap<>();
  private final Map<QName, List<QName>> membersByHead = new HashMap<>();
  private final Set<String> problems = new LinkedHashSet<>();

  public SchemaCompiler(XmlSchemaCollection schemas) {
    this.schemas = schemas;
    for (XmlSchema s : schemas.getXmlSchemas()) {
      for (XmlSchemaType t : s.getSchemaTypes().values()) {
        if (t instanceof XmlSchemaComplexType ct && ct.getQName() != null) {
          QName base = baseOf(ct);
          if (base != null) {
            derivedByBase.computeIfAbsent(base, k -> new ArrayList<>()).add(ct.getQName());
          }
        }
      }
      for (XmlSchemaElement el : s.getElements().values()) {
        if (el.getSubstitutionGroup() != null) {
          membersByHead.computeIfAbsent(el.getSubstitutionGroup(), k -> new ArrayList<>()).add(el.getQName());
        }
      }
    }
  }

  /** Messages about constructs that could not be compiled; empty when all went well. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** The global element {@code name}, or null when the schemas do not declare it. */
  public XsdElement globalElement(QName name) {
    XsdElement done = globalElements.get(name);
    if (done != null) {
      return done;
    }
    XmlSchemaElement el = schemas.getElementByQName(name);
    if (el == null) {
      return null;
    }
    XsdElement e = new XsdElement(name, 1, 1, el.isNillable());
    if (el.isAbstract()) {
      e.markAbstract(substitutes(el).stream().map(QName::getLocalPart).toList());
    }
    globalElements.put(name, e);
    e.setType(typeOf(el));
    return e;
  }

  /** The named type {@code name} (complex or simple), or null when unknown. */
  public Object namedType(QName name) {
    if (XSD.equals(name.getNamespaceURI())) {
      return builtin(name.getLocalPart());
    }
    XmlSchemaType t = schemas.getTypeByQName(name);
    if (t == null) {
      return null;
    }
    return t instanceof XmlSchemaComplexType ct ? complex(ct) : simple((XmlSchemaSimpleType) t);
  }

  /** All global element names the schemas declare, for did-you-mean messages. */
  public List<String> globalElementNames() {
    List<String> names = new ArrayList<>();
    for (XmlSchema s : schemas.getXmlSchemas()) {
      s.getElements().keySet().forEach(q -> names.add(q.getLocalPart()));
    }
    return names;
  }

  private Object typeOf(XmlSchemaElement el) {
    QName tn = el.getSchemaTypeName();
    if (tn != null) {
      Object t = namedType(tn);
      if (t == null) {
        problems.add("element " + el.getWireName() + " has unknown type " + tn);
        return builtin("string");
      }
      return t;
    }
    XmlSchemaType anon = el.getSchemaType();
    if (anon instanceof XmlSchemaComplexType ct) {
      return complex(ct);
    }
    if (anon instanceof XmlSchemaSimpleType st) {
      return simple(st);
    }
    // A member of a substitution group without a type of its own has its head's type (XSD 1.0
    // §3.3.2); the walk is bounded because a cycle of groups is a schema error, not a hang.
    XmlSchemaElement head = el;
    for (int hops = 0; hops < MAX_SUBSTITUTION_DEPTH && head.getSubstitutionGroup() != null; hops++) {
      head = schemas.getElementByQName(head.getSubstitutionGroup());
      if (head == null) {
        break;
      }
      if (head.getSchemaTypeName() != null || head.getSchemaType() != null) {
        return typeOf(head);
      }
    }
    return builtin("anyType");
  }

  /**
   * The concrete elements that may stand in {@code head}'s place: the members of its
   * substitution group, transitively (a member of a member counts), from every schema of
   * the collection, depth-first (a member, then its own members). Abstract members are left
   * out (their own members are not). Empty when the head blocks substitution ({@code block}
   * or the schema's {@code blockDefault} has {@code substitution} or {@code #all}).
   */
  private List<QName> substitutes(XmlSchemaElement head) {
    XmlSchemaDerivationMethod block = head.getBlock();
    if ((block == null || block.isNone()) && head.getParent() != null) {
      block = head.getParent().getBlockDefault();
    }
    if (block != null && (block.isAll() || block.isSubstitution())) {
      return List.of();
    }
    List<QName> out = new ArrayList<>();
    Set<QName> seen = new LinkedHashSet<>(List.of(head.getQName()));
    collectSubstitutes(head.getQName(), seen, out, 0);
    return out;
  }

  private void collectSubstitutes(QName head, Set<QName> seen, List<QName> out, int depth) {
    if (depth >= MAX_SUBSTITUTION_DEPTH) {
      return;
    }
    for (QName m : membersByHead.getOrDefault(head, List.of())) {
      if (!seen.add(m)) {
        continue;
      }
      XmlSchemaElement member = schemas.getElementByQName(m);
      if (member != null && !member.isAbstract()) {
        out.add(m);
      }
      collectSubstitutes(m, seen, out, depth + 1);
    }
  }

  private XsdComplexType complex(XmlSchemaComplexType ct) {
    QName name = ct.getQName();
    if (name != null) {
      XsdComplexType done = complexTypes.get(name);
      if (done != null) {
        return done;
      }
    }
    XsdComplexType t = new XsdComplexType(name, ct.isAbstract());
    if (name != null) {
      complexTypes.put(name, t);
    }
    List<XsdParticle> content = new ArrayList<>();
    XmlSchemaContentModel model = ct.getContentModel();
    XmlSchemaContent c = model == null ? null : model.getContent();
    if (c instanceof XmlSchemaComplexContentExtension ext) {
      XsdComplexType base = baseComplex(ext.getBaseTypeName(), t);
      if (base != null) {
        t.setBase(base);
        if (base.particle() != null) {
          content.add(base.particle());
        }
        inheritAttributes(base, t);
      }
      addParticle(ext.getParticle(), content);
      addAttributes(ext.getAttributes(), t);
    } else if (c instanceof XmlSchemaComplexContentRestriction res) {
      XsdComplexType base = baseComplex(res.getBaseTypeName(), t);
      t.setBase(base);
      if (base != null) {
        inheritAttributes(base, t);
      }
      addParticle(res.getParticle(), content);
      addAttributes(res.getAttributes(), t);
    } else if (c instanceof XmlSchemaSimpleContentExtension ext) {
      simpleContentBase(ext.getBaseTypeName(), t);
      addAttributes(ext.getAttributes(), t);
    } else if (c instanceof XmlSchemaSimpleContentRestriction res) {
      simpleContentBase(res.getBaseTypeName(), t);
      addAttributes(res.getAttributes(), t);
    } else {
      addParticle(ct.getParticle(), content);
      addAttributes(ct.getAttributes(), t);
    }
    if (content.size() == 1) {
      t.setParticle(content.get(0));
    } else if (!content.isEmpty()) {
      t.setParticle(new XsdParticle.Group(XsdParticle.Group.Kind.SEQUENCE, content, 1, 1));
    }
    t.freeze();
    if (name != null) {
      for (QName d : allDerived(name)) {
        XmlSchemaType dt = schemas.getTypeByQName(d);
        if (dt instanceof XmlSchemaComplexType dct) {
          t.addSubtype(complex(dct));
        }
      }
    }
    return t;
  }

  private XsdComplexType baseComplex(QName baseName, XsdComplexType forType) {
    if (baseName == null || XSD.equals(baseName.getNamespaceURI())) {
      return null;
    }
    Object b = namedType(baseName);
    if (b instanceof XsdComplexType bc) {
      return bc;
    }
    problems.add("type " + forType.displayName() + " extends " + baseName + ", which is not a complex type");
    return null;
  }

  private void simpleContentBase(QName baseName, XsdComplexType t) {
    Object b = baseName == null ? null : namedType(baseName);
    if (b instanceof XsdSimpleType st) {
      t.setSimpleContent(st);
    } else if (b instanceof XsdComplexType bc) {
      t.setBase(bc);
      t.setSimpleContent(bc.simpleContent() == null ? builtin("string") : bc.simpleContent());
      inheritAttributes(bc, t);
    } else {
      t.setSimpleContent(builtin("string"));
    }
  }

  private static void inheritAttributes(XsdComplexType base, XsdComplexType t) {
    for (JsonField f : base.fields()) {
      if (f.kind() == JsonField.Kind.ATTRIBUTE) {
        t.addAttribute(f.xmlName(), f.attributeType(), f.required());
      }
    }
  }

  private List<QName> allDerived(QName base) {
    List<QName> out = new ArrayList<>();
    Deque<QName> todo = new ArrayDeque<>(List.of(base));
    while (!todo.isEmpty()) {
      for (QName d : derivedByBase.getOrDefault(todo.pop(), List.of())) {
        if (!out.contains(d)) {
          out.add(d);
          todo.push(d);
        }
      }
    }
    return out;
  }

  private static QName baseOf(XmlSchemaComplexType ct) {
    XmlSchemaContentModel m = ct.getContentModel();
    if (m == null) {
      return null;
    }
    XmlSchemaContent c = m.getContent();
    if (c instanceof XmlSchemaComplexContentExtension e) {
      return e.getBaseTypeName();
    }
    if (c instanceof XmlSchemaComplexContentRestriction r) {
      return r.getBaseTypeName();
    }
    if (c instanceof XmlSchemaSimpleContentExtension e) {
      return e.getBaseTypeName();
    }
    return null;
  }

  private void addParticle(XmlSchemaParticle p, List<XsdParticle> out) {
    XsdParticle compiled = particle(p);
    if (compiled != null) {
      out.add(compiled);
    }
  }

  private XsdParticle particle(XmlSchemaObject p) {
    if (p == null) {
      return null;
    }
    if (p instanceof XmlSchemaElement el) {
      return localElement(el);
    }
    if (p instanceof XmlSchemaSequence s) {
      List<XsdParticle> kids = new ArrayList<>();
      s.getItems().forEach(i -> addIfNotNull(particle((XmlSchemaObject) i), kids));
      return new XsdParticle.Group(XsdParticle.Group.Kind.SEQUENCE, kids, min(s), max(s));
    }
    if (p instanceof XmlSchemaChoice c) {
      List<XsdParticle> kids = new ArrayList<>();
      c.getItems().forEach(i -> addIfNotNull(particle((XmlSchemaObject) i), kids));
      return new XsdParticle.Group(XsdParticle.Group.Kind.CHOICE, kids, min(c), max(c));
    }
    if (p instanceof XmlSchemaAll a) {
      List<XsdParticle> kids = new ArrayList<>();
      a.getItems().forEach(i -> addIfNotNull(particle((XmlSchemaObject) i), kids));
      return new XsdParticle.Group(XsdParticle.Group.Kind.ALL, kids, min(a), max(a));
    }
    if (p instanceof XmlSchemaGroupRef g) {
      XmlSchemaGroup group = findGroup(g.getRefName());
      if (group == null || group.getParticle() == null) {
        problems.add("model group " + g.getRefName() + " is not declared");
        return null;
      }
      XsdParticle inner = particle(group.getParticle());
      if (inner instanceof XsdParticle.Group ig) {
        return new XsdParticle.Group(ig.kind(), ig.children(), min(g), max(g));
      }
      return inner;
    }
    if (p instanceof XmlSchemaAny any) {
      return new XsdParticle.Any(min(any), max(any), wildcardElements(any));
    }
    problems.add("unsupported content " + p.getClass().getSimpleName());
    return null;
  }

  /**
   * The global elements an {@code xs:any} lets in (by its namespace constraint) and that the
   * schemas declare, compiled now so that replies never compile; none for {@code skip}, which
   * asks for the content to be left as it is.
   */
  private Map<QName, XsdElement> wildcardElements(XmlSchemaAny any) {
    Map<QName, XsdElement> known = new java.util.LinkedHashMap<>();
    if (any.getProcessContent() == XmlSchemaContentProcessing.SKIP) {
      return known;
    }
    String constraint = any.getNamespace() == null ? "##any" : any.getNamespace().trim();
    String own = any.getTargetNamespace() == null ? "" : any.getTargetNamespace();
    Set<String> allowed = new java.util.HashSet<>(List.of(constraint.split("\\s+")));
    for (XmlSchema s : schemas.getXmlSchemas()) {
      for (Map.Entry<QName, XmlSchemaElement> e : s.getElements().entrySet()) {
        String ns = e.getKey().getNamespaceURI();
        boolean in = switch (constraint) {
          case "##any", "" -> true;
          case "##other" -> !ns.equals(own) && !ns.isEmpty();
          default -> allowed.contains(ns) || (ns.equals(own) && allowed.contains("##targetNamespace"))
              || (ns.isEmpty() && allowed.contains("##local"));
        };
        if (in && !e.getValue().isAbstract() && !XSD.equals(ns)) {
          known.put(e.getKey(), globalElement(e.getKey()));
        }
      }
    }
    return known;
  }

  private XmlSchemaGroup findGroup(QName name) {
    for (XmlSchema s : schemas.getXmlSchemas()) {
      XmlSchemaGroup g = s.getGroups().get(name);
      if (g != null) {
        return g;
      }
    }
    return null;
  }

  private static void addIfNotNull(XsdParticle p, List<XsdParticle> out) {
    if (p != null) {
      out.add(p);
    }
  }

  private XsdParticle localElement(XmlSchemaElement el) {
    if (el.isRef()) {
      XmlSchemaElement target = el.getRef().getTarget();
      if (target == null) {
        problems.add("element reference " + el.getRef().getTargetQName() + " is not declared");
        return null;
      }
      List<QName> substitutes = substitutes(target);
      if (target.isAbstract() || !substitutes.isEmpty()) {
        // XSD treats a head's place as a choice of the head and its substitutes: one of them
        // once per occurrence of the reference. The branches are the global declarations
        // (occurring once each); the group carries the reference's bounds.
        List<XsdParticle> branches = new ArrayList<>();
        branches.add(globalElement(target.getQName()));
        for (QName m : substitutes) {
          addIfNotNull(globalElement(m), branches);
        }
        return new XsdParticle.Group(XsdParticle.Group.Kind.CHOICE, branches, min(el), max(el));
      }
      XsdElement e = new XsdElement(target.getQName(), min(el), max(el), target.isNillable());
      XsdElement global = globalElement(target.getQName());
      e.setType(global == null ? builtin("string") : global.type());
      return e;
    }
    XsdElement e = new XsdElement(el.getWireName(), min(el), max(el), el.isNillable());
    e.setType(typeOf(el));
    return e;
  }

  private void addAttributes(List<? extends XmlSchemaObject> attrs, XsdComplexType t) {
    for (XmlSchemaObject a : attrs) {
      if (a instanceof XmlSchemaAttribute attr) {
        XmlSchemaAttribute target = attr.isRef() ? attr.getRef().getTarget() : attr;
        if (target == null) {
          problems.add("attribute reference " + attr.getRef().getTargetQName() + " is not declared");
          continue;
        }
        QName wire = attr.isRef() ? target.getQName() : attr.getWireName();
        if (attr.getUse() == XmlSchemaUse.PROHIBITED) {
          t.removeAttribute(wire);
          continue;
        }
        XsdSimpleType st;
        if (target.getSchemaTypeName() != null) {
          Object ty = namedType(target.getSchemaTypeName());
          st = ty instanceof XsdSimpleType s ? s : builtin("string");
        } else if (target.getSchemaType() != null) {
          st = simple(target.getSchemaType());
        } else {
          st = builtin("anySimpleType");
        }
        t.addAttribute(wire, st, attr.getUse() == XmlSchemaUse.REQUIRED);
      } else if (a instanceof XmlSchemaAttributeGroupRef gr) {
        XmlSchemaAttributeGroup g = gr.getRef().getTarget();
        if (g == null) {
          problems.add("attribute group " + gr.getRef().getTargetQName() + " is not declared");
          continue;
        }
        List<XmlSchemaObject> members = new ArrayList<>();
        for (XmlSchemaAttributeGroupMember m : g.getAttributes()) {
          members.add((XmlSchemaObject) m);
        }
        addAttributes(members, t);
      } else if (!(a instanceof XmlSchemaAttributeOrGroupRef)) {
        // xs:anyAttribute: attributes not in the schema are ignored when reading.
        continue;
      }
    }
  }

  private XsdSimpleType simple(XmlSchemaSimpleType st) {
    QName name = st.getQName();
    if (name != null && XSD.equals(name.getNamespaceURI())) {
      return builtin(name.getLocalPart());
    }
    if (name != null) {
      XsdSimpleType done = simpleTypes.get(name);
      if (done != null) {
        return done;
      }
    }
    XsdSimpleType result;
    XmlSchemaSimpleTypeContent c = st.getContent();
    if (c instanceof XmlSchemaSimpleTypeRestriction r) {
      XsdSimpleType base;
      if (r.getBaseTypeName() != null) {
        Object b = namedType(r.getBaseTypeName());
        base = b instanceof XsdSimpleType s ? s : builtin("string");
      } else if (r.getBaseType() != null) {
        base = simple(r.getBaseType());
      } else {
        base = builtin("string");
      }
      Set<String> enums = new LinkedHashSet<>();
      for (XmlSchemaFacet f : r.getFacets()) {
        if (f instanceof XmlSchemaEnumerationFacet ef) {
          enums.add(base.kind() == SimpleKind.QNAME ? qnameEnumeration(st, String.valueOf(ef.getValue()))
              : String.valueOf(ef.getValue()));
        }
      }
      result = new XsdSimpleType(base.kind(), base.xsdName(),
          name == null ? base.displayName() : name.getLocalPart(),
          enums.isEmpty() ? base.enumeration() : enums, base.listItem());
    } else if (c instanceof XmlSchemaSimpleTypeList l) {
      XsdSimpleType item;
      if (l.getItemTypeName() != null) {
        Object b = namedType(l.getItemTypeName());
        item = b instanceof XsdSimpleType s ? s : builtin("string");
      } else if (l.getItemType() != null) {
        item = simple(l.getItemType());
      } else {
        item = builtin("string");
      }
      result = new XsdSimpleType(SimpleKind.STRING, "list", name == null ? "list" : name.getLocalPart(), null, item);
    } else {
      // Unions: values pass through as strings; the backend validates them.
      result = new XsdSimpleType(SimpleKind.ANY_STRING, "anySimpleType",
          name == null ? "union" : name.getLocalPart(), null, null);
    }
    if (name != null) {
      simpleTypes.put(name, result);
    }
    return result;
  }

  /**
   * A QName enumeration value as JSON writes it (Clark notation): the schema spells it with its
   * own prefixes, which mean nothing to a client.
   */
  private String qnameEnumeration(XmlSchemaSimpleType st, String lexical) {
    javax.xml.namespace.NamespaceContext scope = st.getParent() == null ? null : st.getParent().getNamespaceContext();
    QName q = scope == null ? null : QNames.resolve(lexical, scope);
    if (q == null) {
      problems.add("the QName enumeration value '" + lexical + "' of type " + st.getName() + " has an undeclared prefix");
      return lexical;
    }
    return QNames.clark(q);
  }

  /** The compiled built-in type {@code localName} of the XML Schema namespace. */
  public static XsdSimpleType builtin(String localName) {
    SimpleKind k = SimpleKind.ofXsd(localName);
    if (k == null) {
      k = SimpleKind.ANY_STRING;
    }
    return new XsdSimpleType(k, localName, localName, null, null);
  }

  private static int min(XmlSchemaParticle p) {
    return (int) Math.min(p.getMinOccurs(), Integer.MAX_VALUE);
  }

  private static int max(XmlSchemaParticle p) {
    return (int) Math.min(p.getMaxOccurs(), Integer.MAX_VALUE);
  }
}
