package dev.ficus.it;

import jakarta.xml.ws.Provider;
import jakarta.xml.ws.Service;
import jakarta.xml.ws.ServiceMode;
import jakarta.xml.ws.WebServiceProvider;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.namespace.QName;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.Source;
import javax.xml.transform.dom.DOMResult;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.TransformerFactory;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.jaxws.EndpointImpl;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * A CXF-hosted service of {@code wildcards.wsdl} (in the test resources) that checks what it
 * receives, for the QName and {@code xs:any} tests. {@code classify} resolves each QName it is
 * sent against the namespaces in scope where it stands (as any XML consumer must), reports the
 * namespace it found, and echoes the QName with a prefix of its own choosing ({@code zz},
 * {@code a0}...; the target namespace as the default namespace). {@code describe} reports the
 * Clark name of every element in its wildcard, echoes those elements into its reply's wildcard,
 * adds one element no schema declares ({@code x:unknownThing}) and a known {@code gadget}
 * inside a {@code processContents="skip"} wildcard.
 */
@WebServiceProvider(serviceName = "WildService", portName = "WildPort", targetNamespace = WildcardService.TNS)
@ServiceMode(Service.Mode.PAYLOAD)
public final class WildcardService implements Provider<Source> {
  static final String TNS = "urn:ficus:test:wild";
  static final Path WSDL = Path.of("src", "test", "resources", "dev", "ficus", "it", "wildcards.wsdl")
      .toAbsolutePath();

  /** The running service and its Bus; close stops both. */
  record Running(Bus bus, EndpointImpl endpoint, String url, WildcardService service) implements AutoCloseable {
    /** How many calls reached the service so far. */
    long calls() {
      return service.calls.get();
    }

    @Override
    public void close() {
      endpoint.stop();
      bus.shutdown(true);
    }
  }

  static Running start() {
    Bus bus = BusFactory.newInstance().createBus();
    WildcardService impl = new WildcardService();
    EndpointImpl ep = new EndpointImpl(bus, impl);
    ep.setWsdlLocation(WSDL.toUri().toString());
    ep.setServiceName(new QName(TNS, "WildService"));
    ep.setEndpointName(new QName(TNS, "WildPort"));
    String url = "http://" + Loopback.HOST + ":" + Loopback.freePort() + "/ws/wild";
    ep.publish(url);
    return new Running(bus, ep, url, impl);
  }

  private final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();

  @Override
  public Source invoke(Source request) {
    calls.incrementAndGet();
    try {
      Element in = element(request);
      return switch (in.getLocalName()) {
        case "classify" -> classify(in);
        case "describe" -> describe(in);
        default -> throw new IllegalArgumentException("no operation " + in.getLocalName());
      };
    } catch (Exception e) {
      throw new jakarta.xml.ws.WebServiceException(e.getMessage(), e);
    }
  }

  private static Element element(Source s) throws Exception {
    DOMResult r = new DOMResult();
    TransformerFactory.newInstance().newTransformer().transform(s, r);
    Node n = r.getNode();
    return n instanceof Document d ? d.getDocumentElement() : (Element) n;
  }

  private static Source classify(Element in) throws Exception {
    StringBuilder out = new StringBuilder("<t:classifyResponse xmlns:t=\"" + TNS + "\">");
    Element kind = child(in, "kind");
    QName k = resolve(kind, kind.getTextContent());
    out.append(echo("kind", List.of(k), "zz"));
    out.append("<t:kindNamespace>").append(k == null ? "(unbound)" : k.getNamespaceURI()).append("</t:kindNamespace>");
    Element kinds = child(in, "kinds");
    if (kinds != null) {
      List<QName> qs = new ArrayList<>();
      List<String> nss = new ArrayList<>();
      for (String item : kinds.getTextContent().trim().split("\\s+")) {
        QName q = resolve(kinds, item);
        qs.add(q);
        nss.add(q == null ? "(unbound)" : q.getNamespaceURI());
      }
      out.append(echo("kinds", qs, "a"));
      out.append("<t:kindsNamespaces>").append(String.join(" ", nss)).append("</t:kindsNamespaces>");
    }
    Element tag = child(in, "tag");
    if (tag != null) {
      QName c = resolve(tag, tag.getAttribute("code"));
      if (c != null && TNS.equals(c.getNamespaceURI())) {
        // Unprefixed, so the value takes the default namespace declared here.
        out.append("<tag xmlns=\"" + TNS + "\" code=\"" + c.getLocalPart() + "\"/>");
      } else if (c != null) {
        out.append("<t:tag xmlns:yy=\"" + c.getNamespaceURI() + "\" code=\"yy:" + c.getLocalPart() + "\"/>");
      }
      out.append("<t:tagNamespace>").append(c == null ? "(unbound)" : c.getNamespaceURI()).append("</t:tagNamespace>");
    }
    out.append("</t:classifyResponse>");
    return parse(out.toString());
  }

  /** The QName element {@code name} with each value under a prefix of the service's own. */
  private static String echo(String name, List<QName> values, String prefix) {
    StringBuilder decl = new StringBuilder();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      QName q = values.get(i);
      String p = values.size() == 1 ? prefix : prefix + i;
      if (q == null) {
        text.append(text.length() > 0 ? " " : "").append("unbound");
      } else if (q.getNamespaceURI().isEmpty()) {
        text.append(text.length() > 0 ? " " : "").append(q.getLocalPart());
      } else {
        decl.append(" xmlns:").append(p).append("=\"").append(q.getNamespaceURI()).append('"');
        text.append(text.length() > 0 ? " " : "").append(p).append(':').append(q.getLocalPart());
      }
    }
    return "<t:" + name + decl + ">" + text + "</t:" + name + ">";
  }

  private static Source describe(Element in) throws Exception {
    Document doc = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder().newDocument();
    Element out = doc.createElementNS(TNS, "t:describeResponse");
    out.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:t", TNS);
    doc.appendChild(out);
    List<Element> wild = new ArrayList<>();
    for (Node n = in.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && !TNS.equals(e.getNamespaceURI())) {
        wild.add(e);
        Element seen = doc.createElementNS(TNS, "t:seen");
        seen.setTextContent("{" + e.getNamespaceURI() + "}" + e.getLocalName() + " " + e.getTextContent().trim());
        out.appendChild(seen);
      }
    }
    for (Element e : wild) {
      Element copy = (Element) doc.importNode(e, true);
      if (e.getPrefix() != null) {
        copy.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:" + e.getPrefix(), e.getNamespaceURI());
      }
      out.appendChild(copy);
    }
    Element unknown = (Element) doc.importNode(parseElement(
        "<x:unknownThing xmlns:x=\"urn:nobody\" x:flag=\"1\"><x:part>a &amp; b</x:part><x:empty/></x:unknownThing>"), true);
    out.appendChild(unknown);
    Element extras = doc.createElementNS(TNS, "t:extras");
    extras.appendChild(doc.importNode(parseElement(
        "<e:gadget xmlns:e=\"urn:ficus:test:ext\"><e:label>skipped</e:label><e:size>2</e:size></e:gadget>"), true));
    out.appendChild(extras);
    return new DOMSource(doc);
  }

  private static Element child(Element parent, String local) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && local.equals(e.getLocalName())) {
        return e;
      }
    }
    return null;
  }

  /** {@code text} as a QName in scope at {@code at}, or null when its prefix is not declared. */
  private static QName resolve(Element at, String text) {
    String t = text.trim();
    int colon = t.indexOf(':');
    String prefix = colon < 0 ? null : t.substring(0, colon);
    String ns = at.lookupNamespaceURI(prefix);
    if (ns == null && prefix != null) {
      return null;
    }
    return new QName(ns == null ? "" : ns, colon < 0 ? t : t.substring(colon + 1));
  }

  private static Element parseElement(String xml) throws Exception {
    return DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder()
        .parse(new InputSource(new StringReader(xml))).getDocumentElement();
  }

  private static Source parse(String xml) throws Exception {
    return new DOMSource(parseElement(xml).getOwnerDocument());
  }
}
