package dev.ficus.samples.soap;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import javax.xml.namespace.NamespaceContext;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Test helper: posts raw SOAP envelopes with the JDK HTTP client, so the tests see exactly
 * what travels on the wire, and reads replies with XPath over fixed prefixes:
 * {@code s11}, {@code s12}, {@code c} (customers types), {@code calc}, {@code t}
 * (calculator types), {@code e} (echo) and {@code xsi}. Envelopes declare them all.
 */
final class SoapExchange {

  static final String SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/";
  static final String SOAP12 = "http://www.w3.org/2003/05/soap-envelope";

  private static final Map<String, String> PREFIXES = Map.of(
      "s11", SOAP11,
      "s12", SOAP12,
      "c", "urn:example:customers:v1",
      "calc", "urn:example:calculator",
      "t", "urn:example:calculator:types",
      "e", "urn:example:echo",
      "xsi", "http://www.w3.org/2001/XMLSchema-instance");

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private SoapExchange() {
  }

  /** A free loopback port, for a server about to start. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A SOAP 1.1 envelope; {@code header} may be empty. Both may use the fixed prefixes. */
  static String envelope11(String header, String body) {
    return envelope("s11", header, body);
  }

  /** A SOAP 1.2 envelope; {@code header} may be empty. Both may use the fixed prefixes. */
  static String envelope12(String header, String body) {
    return envelope("s12", header, body);
  }

  static String authHeader(String token) {
    return "<c:authHeader><c:token>" + token + "</c:token></c:authHeader>";
  }

  /** POSTs a SOAP 1.1 envelope (text/xml with a SOAPAction header). */
  static Reply post11(String url, String soapAction, String envelope) {
    return send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "text/xml; charset=utf-8")
        .header("SOAPAction", "\"" + soapAction + "\"")
        .POST(HttpRequest.BodyPublishers.ofString(envelope)));
  }

  /** POSTs a SOAP 1.2 envelope (application/soap+xml with the action parameter). */
  static Reply post12(String url, String soapAction, String envelope) {
    return send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/soap+xml; charset=utf-8; action=\"" + soapAction + "\"")
        .POST(HttpRequest.BodyPublishers.ofString(envelope)));
  }

  static Reply get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  private static Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String envelope(String prefix, String header, String body) {
    StringBuilder xml = new StringBuilder("<" + prefix + ":Envelope");
    PREFIXES.forEach((p, ns) -> xml.append(" xmlns:").append(p).append("=\"").append(ns).append('"'));
    xml.append('>');
    if (!header.isEmpty()) {
      xml.append('<').append(prefix).append(":Header>").append(header)
          .append("</").append(prefix).append(":Header>");
    }
    xml.append('<').append(prefix).append(":Body>").append(body)
        .append("</").append(prefix).append(":Body>")
        .append("</").append(prefix).append(":Envelope>");
    return xml.toString();
  }

  /** An HTTP reply; {@link #text} and {@link #count} evaluate XPath over its body. */
  record Reply(int status, String body) {

    String text(String xpath) {
      return (String) evaluate(xpath, XPathConstants.STRING);
    }

    int count(String xpath) {
      return ((NodeList) evaluate(xpath, XPathConstants.NODESET)).getLength();
    }

    private Object evaluate(String expression, javax.xml.namespace.QName type) {
      try {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document document = factory.newDocumentBuilder()
            .parse(new InputSource(new StringReader(body)));
        XPath xpath = XPathFactory.newInstance().newXPath();
        xpath.setNamespaceContext(new FixedPrefixes());
        return xpath.evaluate(expression, document, type);
      } catch (XPathExpressionException e) {
        throw new IllegalArgumentException(expression, e);
      } catch (Exception e) {
        throw new AssertionError("reply is not XML: " + body, e);
      }
    }
  }

  private static final class FixedPrefixes implements NamespaceContext {
    @Override
    public String getNamespaceURI(String prefix) {
      return PREFIXES.getOrDefault(prefix, "");
    }

    @Override
    public String getPrefix(String namespaceUri) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Iterator<String> getPrefixes(String namespaceUri) {
      throw new UnsupportedOperationException();
    }
  }
}
