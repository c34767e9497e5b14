package dev.ficus.it;

import jakarta.xml.ws.Provider;
import jakarta.xml.ws.Service;
import jakarta.xml.ws.ServiceMode;
import jakarta.xml.ws.WebServiceProvider;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.xml.namespace.QName;
import javax.xml.transform.Source;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMResult;
import javax.xml.transform.dom.DOMSource;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.annotations.SchemaValidation.SchemaValidationType;
import org.apache.cxf.jaxws.EndpointImpl;
import org.apache.cxf.message.Message;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A SOAP service of the test's own for a document/literal contract the test wrote: Apache
 * CXF publishes the WSDL on 127.0.0.1 with schema validation of requests and replies, and
 * answers each request with its payload echoed, the root element renamed from
 * {@code xRequest} to {@code xResponse} (the contract gives both the same type). CXF refuses
 * a request that is not schema-valid with a Client fault, as a strict legacy stack does, so
 * an answer proves that the gateway wrote valid XML, and the echo brings the same content
 * back through the gateway's reply path. Requests are recorded (payload root elements).
 *
 * <p>Its own CXF bus; {@link #close()} stops the endpoint and its Jetty engine. Thread-safe:
 * requests run on CXF's worker threads.
 */
final class EchoContractService implements AutoCloseable {
  private static final String PATH = "/ws/contract";

  private final Bus bus;
  private final EndpointImpl endpoint;
  private final String url;
  private final Echo echo;

  private EchoContractService(Bus bus, EndpointImpl endpoint, String url, Echo echo) {
    this.bus = bus;
    this.endpoint = endpoint;
    this.url = url;
    this.echo = echo;
  }

  /**
   * Publishes {@code wsdl}'s {@code service}/{@code port} on a free loopback port.
   *
   * @throws RuntimeException when CXF cannot read the contract or publish it
   */
  static EchoContractService start(URL wsdl, QName service, String port) {
    Bus bus = BusFactory.newInstance().createBus();
    try {
      Echo echo = new Echo();
      EndpointImpl endpoint = new EndpointImpl(bus, echo);
      endpoint.setWsdlLocation(wsdl.toExternalForm());
      endpoint.setServiceName(service);
      endpoint.setEndpointName(new QName(service.getNamespaceURI(), port));
      endpoint.setProperties(Map.of(Message.SCHEMA_VALIDATION_ENABLED, SchemaValidationType.BOTH));
      String url = "http://" + Loopback.HOST + ":" + Loopback.freePort() + PATH;
      endpoint.publish(url);
      return new EchoContractService(bus, endpoint, url, echo);
    } catch (RuntimeException e) {
      bus.shutdown(true);
      throw e;
    }
  }

  String url() {
    return url;
  }

  /** The root elements of the valid requests received so far, oldest first. */
  List<Element> received() {
    return List.copyOf(echo.received);
  }

  @Override
  public void close() {
    endpoint.stop();
    bus.shutdown(true);
  }

  /** Echoes the payload under the reply's element name; CXF calls it on its worker threads. */
  @WebServiceProvider
  @ServiceMode(Service.Mode.PAYLOAD)
  public static final class Echo implements Provider<Source> {
    private final List<Element> received = new CopyOnWriteArrayList<>();

    @Override
    public Source invoke(Source request) {
      try {
        DOMResult dom = new DOMResult();
        TransformerFactory.newInstance().newTransformer().transform(request, dom);
        Node root = Node.of(dom);
        received.add((Element) root.element().cloneNode(true));
        Element reply = root.element();
        String local = reply.getLocalName().replaceFirst("Request$", "Response");
        String prefix = reply.getPrefix();
        root.document().renameNode(reply, reply.getNamespaceURI(), prefix == null ? local : prefix + ":" + local);
        return new DOMSource(root.document());
      } catch (TransformerException e) {
        throw new IllegalStateException("cannot read the request payload", e);
      }
    }
  }

  /** The payload's document and its root element. */
  private record Node(Document document, Element element) {
    static Node of(DOMResult dom) {
      Document d = dom.getNode() instanceof Document doc ? doc : dom.getNode().getOwnerDocument();
      return new Node(d, d.getDocumentElement());
    }
  }
}
