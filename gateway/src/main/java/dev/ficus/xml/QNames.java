package dev.ficus.xml;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.namespace.QName;

/**
 * xs:QName values between JSON and XML. In JSON a QName is namespace-preserving and
 * prefix-free: {@code {namespace}local} (Clark notation), or a bare {@code local} for a name in
 * no namespace. A prefix only means something inside one XML document, so on the way out the
 * writer picks one (the envelope's prefix for the namespace when there is one, else a fresh
 * {@code q0}, {@code q1}... declared on the element itself), and on the way in the reply's
 * prefix is resolved against the namespaces in scope at the element that carries the value.
 * Pure functions apart from {@link Declarations}, which belongs to one start tag.
 */
final class QNames {
  private QNames() {}

  /** True when values of {@code st} (or its list items) are QNames. */
  static boolean isQName(XsdSimpleType st) {
    return st != null && (st.kind() == SimpleKind.QNAME || (st.isList() && isQName(st.listItem())));
  }

  /** The Clark notation of {@code q}: {@code {ns}local}, or {@code local} without a namespace. */
  static String clark(QName q) {
    String ns = q.getNamespaceURI();
    return ns == null || ns.isEmpty() ? q.getLocalPart() : "{" + ns + "}" + q.getLocalPart();
  }

  /** The QName of a Clark-notation text that {@link SimpleKind#QNAME} accepted. */
  static QName fromClark(String text) {
    if (text.startsWith("{")) {
      int close = text.indexOf('}');
      return new QName(text.substring(1, close), text.substring(close + 1));
    }
    return new QName(text);
  }

  /**
   * Resolves the lexical QName {@code text} of a reply against {@code scope}; null when its
   * prefix is not declared there. An unprefixed name takes the default namespace, as XML Schema
   * says for QName values.
   */
  static QName resolve(String text, NamespaceContext scope) {
    String t = text.trim();
    int colon = t.indexOf(':');
    String prefix = colon < 0 ? XMLConstants.DEFAULT_NS_PREFIX : t.substring(0, colon);
    String ns = scope.getNamespaceURI(prefix);
    if (ns == null || (colon >= 0 && ns.isEmpty())) {
      return colon < 0 ? new QName(t) : null;
    }
    return new QName(ns, colon < 0 ? t : t.substring(colon + 1));
  }

  /**
   * The namespace declarations one start tag needs for the QName values written into it (its
   * attributes and its text). Not thread-safe: one per element written.
   */
  static final class Declarations {
    private final Map<String, String> fixed;
    private final Map<String, String> added = new LinkedHashMap<>(2);

    /** @param fixed namespace → prefix declared on the envelope, in scope everywhere */
    Declarations(Map<String, String> fixed) {
      this.fixed = fixed;
    }

    /** The lexical form of the Clark-notation {@code text} (or a space-separated list of them). */
    String lexical(String text) {
      if (text.indexOf(' ') < 0) {
        return one(text);
      }
      StringBuilder sb = new StringBuilder(text.length());
      for (String item : text.split(" ")) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(one(item));
      }
      return sb.toString();
    }

    private String one(String text) {
      QName q = fromClark(text);
      String ns = q.getNamespaceURI();
      if (ns.isEmpty()) {
        // The writer never declares a default namespace, so an unprefixed value has none.
        return q.getLocalPart();
      }
      String p = XMLConstants.XML_NS_URI.equals(ns) ? XMLConstants.XML_NS_PREFIX : fixed.get(ns);
      if (p == null) {
        p = added.computeIfAbsent(ns, k -> "q" + added.size());
      }
      return p + ":" + q.getLocalPart();
    }

    /** Appends {@code xmlns:qN="..."} for each namespace that had no envelope prefix. */
    void appendTo(StringBuilder out) {
      added.forEach((ns, p) -> {
        out.append(" xmlns:").append(p).append("=\"");
        XmlText.append(out, ns, true);
        out.append('"');
      });
    }
  }
}
