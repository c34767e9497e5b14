package dev.ficus.xml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.QName;

/** A node of a complex type's content model: an element, or a sequence / choice / all group. */
public sealed interface XsdParticle permits XsdElement, XsdParticle.Group, XsdParticle.Any {
  int min();

  int max();

  /** A model group; {@code kind} decides how children combine. */
  record Group(Kind kind, List<XsdParticle> children, int min, int max) implements XsdParticle {
    public enum Kind { SEQUENCE, CHOICE, ALL }

    public Group {
      children = List.copyOf(children);
    }
  }

  /**
   * An {@code xs:any} wildcard. {@code known} holds the global elements the wildcard lets in
   * and whose declarations the schemas have (empty for {@code processContents="skip"}): those
   * are JSON by their schema, anything else is XML text (see {@link XsdWildcard}).
   */
  record Any(int min, int max, Map<QName, XsdElement> known) implements XsdParticle {
    public Any {
      known = Collections.unmodifiableMap(new LinkedHashMap<>(known));
    }
  }
}
