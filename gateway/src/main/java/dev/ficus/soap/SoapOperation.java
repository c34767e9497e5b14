package dev.ficus.soap;

import dev.ficus.xml.XsdComplexType;
import dev.ficus.xml.XsdElement;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.QName;

/**
 * One operation of a WSDL binding, resolved against the schemas: everything needed to write
 * its request envelope and read its reply, nothing about REST. Immutable.
 *
 * @param soapAction the action (SOAPAction header in 1.1, media-type parameter in 1.2); may be empty
 * @param output null for a one-way operation
 * @param headers the {@code soap:header} elements the binding declares for the input, implicit
 *     ones (parts of another message than the input) included
 * @param outputHeaders the {@code soap:header} elements the binding declares for the output,
 *     implicit ones included; empty for a one-way operation
 */
public record SoapOperation(String name, SoapVersion version, String soapAction, Message input, Message output,
    List<Fault> faults, List<XsdElement> headers, List<XsdElement> outputHeaders) {
  public SoapOperation {
    faults = List.copyOf(faults);
    headers = List.copyOf(headers);
    outputHeaders = List.copyOf(outputHeaders);
  }

  /**
   * A synthetic type whose members are {@code elements}, each optional: the JSON view of a
   * {@code soap:Header}, one member per header element (by local name).
   */
  public static XsdComplexType headerType(List<XsdElement> elements) {
    List<dev.ficus.xml.XsdParticle> parts = new java.util.ArrayList<>();
    for (XsdElement e : elements) {
      parts.add(XsdElement.of(e.name(), e.type(), 0, 1, e.nillable()));
    }
    return XsdComplexType.synthetic(
        new dev.ficus.xml.XsdParticle.Group(dev.ficus.xml.XsdParticle.Group.Kind.SEQUENCE, parts, 1, 1));
  }

  public boolean oneWay() {
    return output == null;
  }

  /**
   * The body of a message. {@code body} is a synthetic type whose members are the parts. For
   * rpc style, {@code rpcWrapper} is the wrapper element's name; for document style it is
   * null and the parts are the Body's children. {@code unwrapped} is the single complex part
   * of a document-style message, whose content is the JSON the client sees; null otherwise
   * (the JSON is then an object with one member per part).
   */
  public record Message(QName rpcWrapper, XsdComplexType body, XsdElement unwrapped) {
    /** The type whose members the client's JSON object holds. */
    public XsdComplexType jsonType() {
      return unwrapped != null ? unwrapped.complexType() : body;
    }
  }

  /** A declared fault: its WSDL name and detail element. */
  public record Fault(String name, XsdElement detail) {}

  public Map<QName, Fault> faultsByElement() {
    java.util.HashMap<QName, Fault> m = new java.util.HashMap<>();
    for (Fault f : faults) {
      m.put(f.detail().name(), f);
    }
    return m;
  }
}
