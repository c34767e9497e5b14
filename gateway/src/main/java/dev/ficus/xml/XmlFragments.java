package dev.ficus.xml;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * One element of XML as a self-contained text, for {@code xs:any} content that is not JSON by a
 * schema ({@code "@any"} items). Replies: the element the reader is on is written out with the
 * namespace declarations it uses from outside itself (for its element and attribute names, and
 * for the prefix of a value that reads as a QName, such as {@code xsi:type}) added on its
 * start tag, so the text parses alone. Requests: a client's text must parse alone, with the
 * same hardened parser as replies, as exactly one element; it is written as re-serialised
 * from the parse, so nothing outside that one element (a DOCTYPE, a second element, an
 * unclosed tag) can reach the envelope. Comments and processing instructions are left out.
 * Pure functions, thread-safe.
 */
public final class XmlFragments {
  /** Woodstox's own limit on nesting, as the reply parser's. */
  private static final int MAX_DEPTH = 64;
  private static final XMLInputFactory INPUT = hardenedFactory(MAX_DEPTH);
  private static final Pattern QNAME_VALUE = Pattern.compile("\\s*([\\p{L}_][\\p{L}\\p{N}_.\\-]*):[\\p{L}_][\\p{L}\\p{N}_.\\-]*\\s*");

  private XmlFragments() {}

  /**
   * A Woodstox factory with DTDs, external entities and entity expansion off, nesting bounded
   * by {@code maxDepth} and attributes per element by 256.
   */
  public static XMLInputFactory hardenedFactory(int maxDepth) {
    // Woodstox, chosen explicitly (not through the StAX service lookup, so no other parser on
    // the classpath can replace it): it parses a 2 KB reply about six times faster than the
    // JDK's built-in parser, and has its own limits as a second line of defence.
    com.ctc.wstx.stax.WstxInputFactory f = new com.ctc.wstx.stax.WstxInputFactory();
    f.setProperty(com.ctc.wstx.api.WstxInputProperties.P_MAX_ELEMENT_DEPTH, maxDepth);
    f.setProperty(com.ctc.wstx.api.WstxInputProperties.P_MAX_ATTRIBUTES_PER_ELEMENT, 256);
    f.setProperty(com.ctc.wstx.api.WstxInputProperties.P_MAX_ENTITY_COUNT, 1);
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    f.setXMLResolver((publicId, systemId, base, ns) -> {
      throw new XMLStreamException("external resources are not loaded");
    });
    return f;
  }

  /**
   * The element the reader is on (START_ELEMENT) as XML text; returns with the reader on its
   * END_ELEMENT. Iterative, so its depth is bounded by the parser's alone.
   */
  public static String read(XMLStreamReader r) throws XMLStreamException {
    StringBuilder out = new StringBuilder(128);
    // Prefixes declared inside the fragment, per open element, and those it needs from outside.
    List<List<String>> declared = new ArrayList<>();
    Map<String, String> outside = new LinkedHashMap<>();
    int rootTagEnd = -1;
    StringBuilder leafText = new StringBuilder();
    boolean justOpened = false;
    int depth = 0;
    int ev = r.getEventType();
    while (true) {
      if (ev == XMLStreamConstants.START_ELEMENT) {
        depth++;
        List<String> here = new ArrayList<>(r.getNamespaceCount());
        out.append('<').append(name(r.getPrefix(), r.getLocalName()));
        for (int i = 0; i < r.getNamespaceCount(); i++) {
          String p = r.getNamespacePrefix(i) == null ? "" : r.getNamespacePrefix(i);
          here.add(p);
          out.append(p.isEmpty() ? " xmlns" : " xmlns:" + p).append("=\"");
          XmlText.append(out, r.getNamespaceURI(i) == null ? "" : r.getNamespaceURI(i), true);
          out.append('"');
        }
        declared.add(here);
        need(r, r.getPrefix(), declared, outside);
        for (int i = 0; i < r.getAttributeCount(); i++) {
          String p = r.getAttributePrefix(i);
          if (p != null && !p.isEmpty()) {
            need(r, p, declared, outside);
          }
          String v = r.getAttributeValue(i);
          valuePrefix(r, v, declared, outside);
          out.append(' ').append(name(p, r.getAttributeLocalName(i))).append("=\"");
          XmlText.append(out, v, true);
          out.append('"');
        }
        if (rootTagEnd < 0) {
          rootTagEnd = out.length();
        }
        out.append('>');
        justOpened = true;
        leafText.setLength(0);
      } else if (ev == XMLStreamConstants.END_ELEMENT) {
        valuePrefix(r, leafText.toString(), declared, outside);
        leafText.setLength(0);
        if (justOpened) {
          out.setLength(out.length() - 1);
          out.append("/>");
        } else {
          out.append("</").append(name(r.getPrefix(), r.getLocalName())).append('>');
        }
        justOpened = false;
        declared.remove(declared.size() - 1);
        if (--depth == 0) {
          break;
        }
      } else if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA
          || ev == XMLStreamConstants.SPACE || ev == XMLStreamConstants.ENTITY_REFERENCE) {
        String t = r.getText();
        justOpened = false;
        leafText.append(t);
        XmlText.append(out, t, false);
      }
      ev = r.next();
    }
    if (!outside.isEmpty()) {
      StringBuilder decls = new StringBuilder();
      outside.forEach((p, ns) -> {
        decls.append(p.isEmpty() ? " xmlns" : " xmlns:" + p).append("=\"");
        XmlText.append(decls, ns, true);
        decls.append('"');
      });
      out.insert(rootTagEnd, decls);
    }
    return out.toString();
  }

  /**
   * The client's XML text of one element, re-serialised; throws with a sentence for the client
   * when it is not exactly one well-formed element.
   */
  public static String parseOne(String text) throws XMLStreamException {
    XMLStreamReader r = INPUT.createXMLStreamReader(new StringReader(text));
    try {
      int ev = r.getEventType();
      while (ev != XMLStreamConstants.START_ELEMENT) {
        if (ev == XMLStreamConstants.DTD) {
          throw new XMLStreamException("a DOCTYPE is not allowed");
        }
        if (ev == XMLStreamConstants.END_DOCUMENT) {
          throw new XMLStreamException("it holds no element");
        }
        ev = r.next();
      }
      String element = read(r);
      while (r.hasNext()) {
        // The parser refuses a second root element or text after the first.
        r.next();
      }
      return element;
    } finally {
      r.close();
    }
  }

  private static String name(String prefix, String local) {
    return prefix == null || prefix.isEmpty() ? local : prefix + ":" + local;
  }

  private static void need(XMLStreamReader r, String prefix, List<List<String>> declared, Map<String, String> outside) {
    String p = prefix == null ? "" : prefix;
    for (List<String> d : declared) {
      if (d.contains(p)) {
        return;
      }
    }
    String ns = r.getNamespaceURI(p);
    if (ns != null && (!ns.isEmpty() || !p.isEmpty()) && !"xml".equals(p)) {
      outside.putIfAbsent(p, ns);
    }
  }

  private static void valuePrefix(XMLStreamReader r, String value, List<List<String>> declared,
      Map<String, String> outside) {
    if (value.indexOf(':') < 0) {
      return;
    }
    Matcher m = QNAME_VALUE.matcher(value);
    if (m.matches()) {
      need(r, m.group(1), declared, outside);
    }
  }
}
