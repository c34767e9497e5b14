package dev.ficus.xml;

import java.util.List;

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

  /** An {@code xs:any} wildcard: unknown elements there are skipped when reading. */
  record Any(int min, int max) implements XsdParticle {}
}
