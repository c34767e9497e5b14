package dev.ficus.xml;

import javax.xml.namespace.QName;

/**
 * How one JSON member of an object maps to XML: an element (possibly repeated), an attribute,
 * or the text of a simple-content type. Computed once per complex type at compile time.
 *
 * @param array true when the member is always a JSON array (element may occur more than once)
 * @param required true when the member must be present in a request
 * @param choiceGroup the choice group the element belongs to, or null
 * @param maxItems the most occurrences the content model allows (the element's maxOccurs
 *     times those of the groups around it; {@link Integer#MAX_VALUE} for unbounded)
 */
public record JsonField(String jsonName, Kind kind, QName xmlName, XsdElement element,
    XsdSimpleType attributeType, boolean array, boolean required, XsdParticle.Group choiceGroup, int maxItems) {
  public enum Kind { ELEMENT, ATTRIBUTE, TEXT }

  /** The simple type of an attribute or text member, or of a simple-typed element. */
  public XsdSimpleType simpleType() {
    return kind == Kind.ELEMENT ? element.simpleType() : attributeType;
  }
}
