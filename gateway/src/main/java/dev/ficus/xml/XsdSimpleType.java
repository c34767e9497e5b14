package dev.ficus.xml;

import java.util.List;
import java.util.Set;

/**
 * A compiled simple type: its built-in kind, optional enumeration, and for list types the item
 * type (values are whitespace-separated in XML and a JSON array in JSON). Immutable.
 *
 * @param xsdName the built-in base type's local name, for messages
 * @param displayName the type's own name (or the base's for anonymous types), for messages
 */
public record XsdSimpleType(SimpleKind kind, String xsdName, String displayName, Set<String> enumeration,
    XsdSimpleType listItem) {
  public XsdSimpleType {
    enumeration = enumeration == null ? Set.of() : Set.copyOf(enumeration);
  }

  public boolean isList() {
    return listItem != null;
  }

  /** What a valid value looks like, for error messages. */
  public String describe() {
    if (listItem != null) {
      return "a list of " + listItem.describe();
    }
    if (!enumeration.isEmpty()) {
      return "one of " + List.copyOf(new java.util.TreeSet<>(enumeration));
    }
    return kind.describe(xsdName);
  }
}
