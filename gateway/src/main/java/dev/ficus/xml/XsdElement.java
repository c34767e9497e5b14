package dev.ficus.xml;

import java.util.List;
import javax.xml.namespace.QName;

/**
 * A compiled element particle: its wire name, occurrence bounds and type (an
 * {@link XsdSimpleType} or {@link XsdComplexType}). {@code maxOccurs} is
 * {@link Integer#MAX_VALUE} for unbounded. The type (and for an abstract element, its
 * substitutes) is set once while the schema compiles (types may be recursive) and never
 * changes after. A substitution group is compiled as a choice of global elements (see
 * {@link SchemaCompiler}).
 */
public final class XsdElement implements XsdParticle {
  private final QName name;
  private final int minOccurs;
  private final int maxOccurs;
  private final boolean nillable;
  private Object type;
  private List<String> substitutes;

  XsdElement(QName name, int minOccurs, int maxOccurs, boolean nillable) {
    this.name = name;
    this.minOccurs = minOccurs;
    this.maxOccurs = maxOccurs;
    this.nillable = nillable;
  }

  /** A synthetic element (an rpc part, a header part) with a known type. */
  public static XsdElement of(QName name, Object type, int minOccurs, int maxOccurs, boolean nillable) {
    XsdElement e = new XsdElement(name, minOccurs, maxOccurs, nillable);
    e.type = type;
    return e;
  }

  void setType(Object type) {
    this.type = type;
  }

  /** Marks a global element declared abstract; {@code substitutes} may stand in its place. */
  void markAbstract(List<String> substitutes) {
    this.substitutes = List.copyOf(substitutes);
  }

  /** True for an abstract element, which an instance never carries (a substitute does). */
  public boolean isAbstract() {
    return substitutes != null;
  }

  /** The names of the concrete elements that may stand in an abstract element's place; empty otherwise. */
  public List<String> substitutes() {
    return substitutes == null ? List.of() : substitutes;
  }

  public QName name() {
    return name;
  }

  public int minOccurs() {
    return minOccurs;
  }

  public int maxOccurs() {
    return maxOccurs;
  }

  public boolean nillable() {
    return nillable;
  }

  /** The element's type: {@link XsdSimpleType} or {@link XsdComplexType}. */
  public Object type() {
    return type;
  }

  public XsdComplexType complexType() {
    return type instanceof XsdComplexType c ? c : null;
  }

  public XsdSimpleType simpleType() {
    return type instanceof XsdSimpleType s ? s : null;
  }

  @Override
  public int min() {
    return minOccurs;
  }

  @Override
  public int max() {
    return maxOccurs;
  }

  @Override
  public String toString() {
    return name.getLocalPart();
  }
}
