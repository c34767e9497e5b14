package dev.ficus.xml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.namespace.QName;

/**
 * The {@code xs:any} wildcards of one complex type, as JSON sees them. A global element the
 * wildcard lets in and the schemas declare is a member under its local name, JSON by its own
 * schema (an array when the wildcard may repeat); every other element there is an item of
 * {@value XsdComplexType#ANY_MEMBER}, an array of strings, each the XML text of one element
 * with the namespace declarations it needs. A known element whose local name is already a
 * member of the type, or is shared by two known elements, goes to {@code @any} too, so that
 * no name means two things. Several wildcards in one type share these members, written at the
 * first. Built once when the type freezes; immutable afterwards.
 */
public final class XsdWildcard {
  private final XsdParticle.Any first;
  private final int minItems;
  private final int maxItems;
  private final Map<String, XsdElement> byJsonName;
  private final Map<QName, XsdElement> byXmlName;

  private XsdWildcard(XsdParticle.Any first, int minItems, int maxItems, Map<String, XsdElement> byJsonName) {
    this.first = first;
    this.minItems = minItems;
    this.maxItems = maxItems;
    this.byJsonName = Collections.unmodifiableMap(byJsonName);
    Map<QName, XsdElement> byXml = new LinkedHashMap<>();
    byJsonName.values().forEach(e -> byXml.put(e.name(), e));
    this.byXmlName = Collections.unmodifiableMap(byXml);
  }

  /** The wildcards in {@code particle}, or null when it has none; {@code taken} are the type's members. */
  static XsdWildcard of(XsdParticle particle, Set<String> taken) {
    List<XsdParticle.Any> anys = new ArrayList<>(1);
    long[] bounds = new long[2];
    collect(particle, 1, 1, false, anys, bounds);
    if (anys.isEmpty()) {
      return null;
    }
    Map<String, XsdElement> byName = new LinkedHashMap<>();
    Set<String> ambiguous = new HashSet<>(taken);
    for (XsdParticle.Any a : anys) {
      for (XsdElement e : a.known().values()) {
        String n = e.name().getLocalPart();
        XsdElement prev = byName.get(n);
        if (prev != null && !prev.name().equals(e.name())) {
          ambiguous.add(n);
        } else {
          byName.put(n, e);
        }
      }
    }
    byName.keySet().removeAll(ambiguous);
    return new XsdWildcard(anys.get(0), (int) Math.min(bounds[0], Integer.MAX_VALUE),
        (int) Math.min(bounds[1], Integer.MAX_VALUE), byName);
  }

  private static void collect(XsdParticle p, long minFactor, long maxFactor, boolean inChoice,
      List<XsdParticle.Any> out, long[] bounds) {
    if (p instanceof XsdParticle.Any a) {
      out.add(a);
      bounds[0] += inChoice ? 0 : a.min() * minFactor;
      bounds[1] = Math.min(Integer.MAX_VALUE, bounds[1] + Math.min(Integer.MAX_VALUE, a.max() * maxFactor));
    } else if (p instanceof XsdParticle.Group g) {
      for (XsdParticle c : g.children()) {
        collect(c, Math.min(Integer.MAX_VALUE, minFactor * g.min()), Math.min(Integer.MAX_VALUE, maxFactor * g.max()),
            inChoice || g.kind() == XsdParticle.Group.Kind.CHOICE, out, bounds);
      }
    }
  }

  /** The wildcard at which the content is written (the first of the type). */
  public XsdParticle.Any first() {
    return first;
  }

  /** True when the wildcard may hold more than one element: its members are arrays. */
  public boolean array() {
    return maxItems > 1;
  }

  /** The fewest elements the wildcards need in all. */
  public int minItems() {
    return minItems;
  }

  /** The most elements the wildcards take in all ({@link Integer#MAX_VALUE} for unbounded). */
  public int maxItems() {
    return maxItems;
  }

  /** The known element shown as member {@code jsonName}, or null. */
  public XsdElement element(String jsonName) {
    return byJsonName.get(jsonName);
  }

  /** The known element named {@code xmlName} that has its own member, or null (then it goes to {@code @any}). */
  public XsdElement element(QName xmlName) {
    return byXmlName.get(xmlName);
  }

  /** Known elements by member name, in schema order. */
  public Map<String, XsdElement> elements() {
    return byJsonName;
  }
}
