package dev.ficus.soap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ficus.error.GatewayError;
import dev.ficus.xml.JsonToXml;
import dev.ficus.xml.XmlToJson;
import dev.ficus.xml.XsdComplexType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Writes the request envelope of one operation from JSON and reads its reply into JSON or a
 * fault. Everything that does not depend on the request (namespace declarations, static SOAP
 * headers, the rpc wrapper) is rendered once when the codec is built.
 *
 * <p>The XML parser (Woodstox) is hardened: DTDs and external entities are off (a DOCTYPE in a
 * reply is refused outright, so an entity bomb costs nothing), nesting depth and attribute
 * counts are bounded, and the reply's size is bounded before it reaches the parser (see
 * {@link SoapClient}). Immutable and
 * thread-safe; runs on backend-client threads, never on Undertow IO threads.
 */
public final class EnvelopeCodec {
  /**
   * The deepest element nesting of a reply, counted from the Envelope (1) through the Body (2)
   * to the deepest value: deeper is a 502. Real SOAP payloads nest a few tens of levels; this
   * bounds the parser and the schema walk (which recurses per level) alike.
   */
  static final int MAX_REPLY_DEPTH = 64;
  private static final XMLInputFactory XML_INPUT = dev.ficus.xml.XmlFragments.hardenedFactory(MAX_REPLY_DEPTH);
  private static final String ENV_PREFIX = "soap";
  /** Where problems of request header values are reported, and reply pointers into headers start. */
  static final String HEADER_POINTER = "soap:Header";

  private final SoapOperation operation;
  private final JsonToXml writer;
  private final XmlToJson reader;
  private final String head;
  private final String tail;
  private final Map<QName, SoapOperation.Fault> faultsByElement;
  /** The Envelope's start tag, the static header elements and the Body's start (with an rpc wrapper). */
  private final String envelopeOpen;
  private final String staticHeaders;
  private final String bodyOpen;
  private final XsdComplexType requestHeaders;
  private final XsdComplexType replyHeaders;

  /**
   * @param prefixes namespace prefixes for every namespace of the operation's types
   * @param headerXml the static {@code soap:Header} children, already rendered (may be empty)
   */
  public EnvelopeCodec(SoapOperation operation, Map<String, String> prefixes, String headerXml,
      boolean rejectUnknown, boolean preciseNumbersAsStrings, int maxDepth) {
    this(operation, prefixes, headerXml, null, null, rejectUnknown, preciseNumbersAsStrings, maxDepth);
  }

  /**
   * @param requestHeaders the header elements written per request, after the static ones, as
   *     a type of optional members ({@link SoapOperation#headerType}); null when there are none
   * @param replyHeaders the reply's header elements read into {@link SoapReply.Success#headers};
   *     null when the mapping returns none (the reply's Header is then skipped unread)
   */
  public EnvelopeCodec(SoapOperation operation, Map<String, String> prefixes, String headerXml,
      XsdComplexType requestHeaders, XsdComplexType replyHeaders, boolean rejectUnknown,
      boolean preciseNumbersAsStrings, int maxDepth) {
    this.requestHeaders = requestHeaders;
    this.replyHeaders = replyHeaders;
    this.staticHeaders = headerXml;
    this.operation = operation;
    this.writer = new JsonToXml(prefixes, rejectUnknown);
    this.reader = new XmlToJson(preciseNumbersAsStrings, maxDepth);
    this.faultsByElement = Map.copyOf(operation.faultsByElement());
    StringBuilder h = new StringBuilder(256);
    h.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    h.append('<').append(ENV_PREFIX).append(":Envelope xmlns:").append(ENV_PREFIX).append("=\"")
        .append(operation.version().envelopeNamespace()).append("\" xmlns:xsi=\"")
        .append(XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI).append('"');
    prefixes.forEach((ns, p) -> {
      h.append(" xmlns:").append(p).append("=\"");
      dev.ficus.xml.XmlText.append(h, ns, true);
      h.append('"');
    });
    h.append('>');
    this.envelopeOpen = h.toString();
    if (!headerXml.isEmpty()) {
      h.append('<').append(ENV_PREFIX).append(":Header>").append(headerXml).append("</").append(ENV_PREFIX)
          .append(":Header>");
    }
    StringBuilder b = new StringBuilder(64);
    b.append('<').append(ENV_PREFIX).append(":Body>");
    StringBuilder t = new StringBuilder(64);
    QName wrapper = operation.input().rpcWrapper();
    if (wrapper != null) {
      String wq = prefixed(prefixes, wrapper);
      b.append('<').append(wq).append('>');
      t.append("</").append(wq).append('>');
    }
    t.append("</").append(ENV_PREFIX).append(":Body></").append(ENV_PREFIX).append(":Envelope>");
    this.bodyOpen = b.toString();
    this.head = h.append(bodyOpen).toString();
    this.tail = t.toString();
  }

  private static String prefixed(Map<String, String> prefixes, QName q) {
    String ns = q.getNamespaceURI();
    return ns == null || ns.isEmpty() ? q.getLocalPart() : prefixes.get(ns) + ":" + q.getLocalPart();
  }

  public SoapOperation operation() {
    return operation;
  }

  /**
   * The request envelope for the JSON the client sent (already merged with path, query and
   * header values). Throws a 400 {@link GatewayError} listing every field at fault.
   */
  public byte[] request(JsonNode json) {
    return request(json, null);
  }

  /**
   * The request envelope, with the header elements of {@code headers} (one member per header
   * element, by local name; null or empty for none) after the static ones. Problems of the
   * headers are reported at {@code soap:Header/NAME/...}, with those of the body.
   */
  public byte[] request(JsonNode json, JsonNode headers) {
    StringBuilder out = new StringBuilder(head.length() + tail.length() + 1024);
    List<GatewayError.FieldError> errors = new ArrayList<>();
    if (requestHeaders == null || headers == null || headers.isEmpty()) {
      out.append(head);
    } else {
      out.append(envelopeOpen).append('<').append(ENV_PREFIX).append(":Header>").append(staticHeaders);
      writer.writeContent(requestHeaders, headers, HEADER_POINTER, out, errors);
      out.append("</").append(ENV_PREFIX).append(":Header>").append(bodyOpen);
    }
    SoapOperation.Message in = operation.input();
    if (in.unwrapped() != null) {
      writer.writeElement(in.unwrapped(), json == null ? JsonNodeFactory.instance.objectNode() : json, "", out, errors);
    } else {
      writer.writeContent(in.body(), json, "", out, errors);
    }
    if (!errors.isEmpty()) {
      throw new dev.ficus.error.GatewayException(GatewayError.invalid(
          errors.size() == 1 ? "The request does not fit the backend's schema: " + errors.get(0).pointer() + " "
              + errors.get(0).detail()
              : "The request does not fit the backend's schema (" + errors.size() + " problems)", errors));
    }
    out.append(tail);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Thrown when the reply is not a usable SOAP envelope. */
  public static final class NotSoapException extends Exception {
    public NotSoapException(String message) {
      super(message, null, false, false);
    }
  }

  /** Parses a reply envelope. */
  public SoapReply reply(byte[] body) throws NotSoapException {
    XMLStreamReader r = null;
    try {
      r = XML_INPUT.createXMLStreamReader(new ByteArrayInputStream(body));
      int ev = r.getEventType();
      while (ev != XMLStreamConstants.START_ELEMENT) {
        if (ev == XMLStreamConstants.DTD) {
          throw new NotSoapException("the reply contains a DTD, which Ficus refuses to process");
        }
        if (ev == XMLStreamConstants.END_DOCUMENT) {
          throw new NotSoapException("the reply is empty");
        }
        ev = r.next();
      }
      QName root = r.getName();
      SoapVersion v = SoapVersion.ofNamespace(root.getNamespaceURI());
      if (v == null || !"Envelope".equals(root.getLocalPart())) {
        throw new NotSoapException("the reply is XML but not a SOAP envelope (root element " + root + ")");
      }
      String envNs = root.getNamespaceURI();
      com.fasterxml.jackson.databind.node.ObjectNode headers = null;
      while (r.nextTag() == XMLStreamConstants.START_ELEMENT) {
        QName n = r.getName();
        if (envNs.equals(n.getNamespaceURI()) && "Body".equals(n.getLocalPart())) {
          SoapReply reply = body(r, envNs);
          return headers != null && reply instanceof SoapReply.Success s ? new SoapReply.Success(s.body(), headers)
              : reply;
        }
        if (replyHeaders != null && headers == null && envNs.equals(n.getNamespaceURI())
            && "Header".equals(n.getLocalPart())) {
          headers = headers(r);
          continue;
        }
        XmlToJson.skip(r);
      }
      throw new NotSoapException("the SOAP envelope has no Body");
    } catch (com.ctc.wstx.exc.WstxLazyException e) {
      // Woodstox reports some errors found while it reads text lazily (a character reference
      // XML 1.0 forbids, such as &#1;) unchecked: the reply is malformed all the same.
      throw notWellFormed(e.getCause() instanceof XMLStreamException x ? x : new XMLStreamException(e.getMessage()));
    } catch (XMLStreamException e) {
      throw notWellFormed(e);
    } catch (XmlToJson.InvalidReplyException e) {
      throw new NotSoapException(e.getMessage());
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // nothing held
        }
      }
    }
  }

  /**
   * Reads the header elements the mapping returns (reader on the Header's start; returns on its
   * end). Others, whatever their {@code mustUnderstand}, are skipped: the gateway is not a SOAP
   * node that processes them, only a reader of the parts the mapping names.
   */
  private com.fasterxml.jackson.databind.node.ObjectNode headers(XMLStreamReader r)
      throws XMLStreamException, XmlToJson.InvalidReplyException {
    List<String> path = XmlToJson.newPath();
    path.add(HEADER_POINTER);
    if (r.nextTag() == XMLStreamConstants.END_ELEMENT) {
      return JsonNodeFactory.instance.objectNode();
    }
    return reader.readMembers(r, replyHeaders, path);
  }

  private static NotSoapException notWellFormed(XMLStreamException e) {
    String msg = e.getMessage() == null ? "malformed XML" : e.getMessage();
    int nl = msg.indexOf("\nMessage: ");
    return new NotSoapException("the reply is not well-formed XML: " + (nl >= 0 ? msg.substring(nl + 10) : msg).trim());
  }

  private SoapReply body(XMLStreamReader r, String envNs)
      throws XMLStreamException, XmlToJson.InvalidReplyException, NotSoapException {
    int ev = r.nextTag();
    if (ev == XMLStreamConstants.END_ELEMENT) {
      SoapOperation.Message out = operation.output();
      if (out != null && (out.unwrapped() != null || out.rpcWrapper() != null || hasRequiredPart(out))) {
        throw new NotSoapException("the reply's Body is empty");
      }
      return new SoapReply.Success(JsonNodeFactory.instance.objectNode());
    }
    QName first = r.getName();
    if (envNs.equals(first.getNamespaceURI()) && "Fault".equals(first.getLocalPart())) {
      return fault(r, envNs);
    }
    SoapOperation.Message out = operation.output();
    if (out == null) {
      return new SoapReply.Success(JsonNodeFactory.instance.objectNode());
    }
    List<String> path = XmlToJson.newPath();
    if (out.rpcWrapper() != null) {
      return new SoapReply.Success(reader.readContent(r, out.body(), path));
    }
    if (out.unwrapped() != null) {
      // The client sees the part's content, so pointers start inside it.
      if (!out.unwrapped().name().equals(first)) {
        throw new NotSoapException("the reply's Body has " + first + " where " + out.unwrapped().name()
            + " is expected");
      }
      return new SoapReply.Success(reader.readElement(r, out.unwrapped(), path));
    }
    return new SoapReply.Success(reader.readMembers(r, out.body(), path));
  }

  private static boolean hasRequiredPart(SoapOperation.Message m) {
    for (dev.ficus.xml.JsonField f : m.body().fields()) {
      if (f.required()) {
        return true;
      }
    }
    return false;
  }

  private SoapReply fault(XMLStreamReader r, String envNs)
      throws XMLStreamException, XmlToJson.InvalidReplyException {
    boolean soap12 = SoapVersion.SOAP_12.envelopeNamespace().equals(envNs);
    String code = null;
    List<String> subcodes = new ArrayList<>();
    String reason = null;
    SoapOperation.Fault declared = null;
    JsonNode detail = null;
    String detailElement = null;
    while (r.nextTag() == XMLStreamConstants.START_ELEMENT) {
      String local = r.getLocalName();
      if (!soap12 && "faultcode".equals(local)) {
        code = localOf(r, r.getElementText());
      } else if (!soap12 && "faultstring".equals(local)) {
        reason = r.getElementText().trim();
      } else if (soap12 && "Code".equals(local)) {
        code = soap12Code(r, subcodes);
      } else if (soap12 && "Reason".equals(local)) {
        while (r.nextTag() == XMLStreamConstants.START_ELEMENT) {
          String text = r.getElementText().trim();
          if (reason == null) {
            reason = text;
          }
        }
      } else if ("detail".equals(local) || (soap12 && "Detail".equals(local))) {
        while (r.nextTag() == XMLStreamConstants.START_ELEMENT) {
          QName dn = r.getName();
          SoapOperation.Fault f = faultsByElement.get(dn);
          if (detailElement == null) {
            detailElement = dn.toString();
          }
          if (f != null && declared == null) {
            declared = f;
            detail = reader.readElement(r, f.detail(), XmlToJson.newPath());
          } else {
            XmlToJson.skip(r);
          }
        }
      } else {
        XmlToJson.skip(r);
      }
    }
    return new SoapReply.Fault(code == null ? (soap12 ? "Receiver" : "Server") : code, subcodes,
        reason == null ? "" : reason, declared, detail, detailElement);
  }

  /** Reads env:Code (reader on it) and returns the Value's local name, collecting subcodes. */
  private static String soap12Code(XMLStreamReader r, List<String> subcodes) throws XMLStreamException {
    String value = null;
    while (r.nextTag() == XMLStreamConstants.START_ELEMENT) {
      if ("Value".equals(r.getLocalName())) {
        value = localOf(r, r.getElementText());
      } else if ("Subcode".equals(r.getLocalName())) {
        String sub = soap12Code(r, subcodes);
        if (sub != null) {
          subcodes.add(0, sub);
        }
      } else {
        XmlToJson.skip(r);
      }
    }
    return value;
  }

  private static String localOf(XMLStreamReader r, String prefixed) {
    String t = prefixed.trim();
    int colon = t.indexOf(':');
    return colon < 0 ? t : t.substring(colon + 1);
  }

  /** The type whose members a request's JSON holds (for compile-time checks of bindings). */
  public XsdComplexType requestJsonType() {
    return operation.input().jsonType();
  }
}
