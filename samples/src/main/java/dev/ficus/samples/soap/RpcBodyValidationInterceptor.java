package dev.ficus.samples.soap;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.xml.stream.XMLStreamException;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import org.apache.cxf.binding.soap.Soap11;
import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.helpers.DOMUtils;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.staxutils.StaxUtils;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;

/**
 * Validates the body of an incoming RPC/literal request against the schema from
 * {@link RpcLiteralSchemaCompiler}, answering a Client fault "Schema validation failed:
 * …" when it is not valid. It replaces CXF's own schema validation on RPC ports.
 *
 * <p>Runs on a CXF worker thread in the POST_STREAM phase: it buffers the request (small
 * in these samples), parses it into DOM — so QName values resolve against every
 * namespace declared in the envelope — and hands the bytes on unchanged. Requests that
 * are not POSTs or do not parse are left to CXF.
 */
final class RpcBodyValidationInterceptor extends AbstractPhaseInterceptor<Message> {

  private final Schema schema;

  RpcBodyValidationInterceptor(Schema schema) {
    super(Phase.POST_STREAM);
    this.schema = schema;
  }

  @Override
  public void handleMessage(Message message) {
    InputStream in = message.getContent(InputStream.class);
    if (in == null || !"POST".equals(message.get(Message.HTTP_REQUEST_METHOD))) {
      return;
    }
    byte[] request;
    try {
      request = in.readAllBytes();
    } catch (IOException e) {
      throw new SoapFault("cannot read the request: " + e.getMessage(), e,
          Soap11.getInstance().getReceiver());
    }
    message.setContent(InputStream.class, new ByteArrayInputStream(request));

    Element operation = operationElement(request, (String) message.get(Message.ENCODING));
    if (operation == null) {
      return;
    }
    try {
      schema.newValidator().validate(new DOMSource(operation));
    } catch (SAXException e) {
      throw new SoapFault("Schema validation failed: " + e.getMessage(),
          Soap11.getInstance().getSender());
    } catch (IOException e) {
      throw new SoapFault("cannot validate the request: " + e.getMessage(), e,
          Soap11.getInstance().getReceiver());
    }
  }

  /** The first element in the SOAP Body, or null when there is none or it does not parse. */
  private static Element operationElement(byte[] request, String encoding) {
    Document envelope;
    try {
      envelope = StaxUtils.read(
          StaxUtils.createXMLStreamReader(new ByteArrayInputStream(request), encoding));
    } catch (XMLStreamException | RuntimeException e) {
      return null;
    }
    Element root = envelope.getDocumentElement();
    Element body = root == null ? null
        : DOMUtils.getFirstChildWithName(root, root.getNamespaceURI(), "Body");
    return body == null ? null : DOMUtils.getFirstElement(body);
  }
}
