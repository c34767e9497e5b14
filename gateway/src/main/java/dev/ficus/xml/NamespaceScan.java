package dev.ficus.xml;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.xml.namespace.QName;

/**
 * Finds every namespace that writing a type graph may need (element and attribute names,
 * {@code xsi:type} names) and gives each a short prefix, once at compile time, so that the
 * per-request writer never declares namespaces. Not thread-safe; use during compile only.
 */
public final class NamespaceScan {
  private final Map<String, String> prefixes = new LinkedHashMap<>();
  private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());

  public NamespaceScan add(String namespace) {
    if (namespace != null && !namespace.isEmpty() && !prefixes.containsKey(namespace)) {
      prefixes.put(namespace, "n" + prefixes.size());
    }
    return this;
  }

  public NamespaceScan add(XsdElement e) {
    if (e == null || !seen.add(e)) {
      return this;
    }
    add(e.name());
    if (e.complexType() != null) {
      add(e.complexType());
    }
    return this;
  }

  public NamespaceScan add(XsdComplexType t) {
    if (t == null || !seen.add(t)) {
      return this;
    }
    for (JsonField f : t.fields()) {
      if (f.kind() == JsonField.Kind.ELEMENT) {
        add(f.element());
      } else if (f.kind() == JsonField.Kind.ATTRIBUTE) {
        add(f.xmlName());
      }
    }
    if (t.wildcard() != null) {
      t.wildcard().elements().values().forEach(this::add);
    }
    if (t.hasSubtypes()) {
      if (t.name() != null) {
        add(t.name());
      }
      for (String local : t.subtypeNames()) {
        XsdComplexType s = t.subtypeByLocalName(local);
        if (s != null) {
          add(s.name());
          add(s);
        }
      }
    }
    return this;
  }

  private void add(QName q) {
    if (q != null) {
      add(q.getNamespaceURI());
    }
  }

  /** Namespace URI → prefix, in the order first seen. */
  public Map<String, String> prefixes() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(prefixes));
  }
}
