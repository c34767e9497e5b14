package dev.ficus.samples.soap;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.xml.namespace.QName;
import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.binding.soap.interceptor.AbstractSoapInterceptor;
import org.apache.cxf.headers.Header;
import org.apache.cxf.phase.Phase;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Rejects every request of CustomerService whose {@code authHeader/token} SOAP header is
 * missing or differs from the configured token, with a Sender (SOAP 1.1: Client) fault
 * "invalid or missing auth token" that the WSDL does not declare.
 *
 * <p>Runs on a CXF worker thread in the PRE_PROTOCOL phase: after the SOAP headers are
 * read and before the body is unmarshalled or a one-way request is acknowledged, so the
 * check covers the one-way {@code recordVisit} too. The header is declared in the
 * binding only (not in the generated service interface), so this is the single place
 * that enforces it.
 */
final class AuthTokenInterceptor extends AbstractSoapInterceptor {

  static final String TYPES_NAMESPACE = "urn:example:customers:v1";
  static final QName AUTH_HEADER = new QName(TYPES_NAMESPACE, "authHeader");
  static final String FAULT_REASON = "invalid or missing auth token";

  private final byte[] expectedToken;

  AuthTokenInterceptor(String expectedToken) {
    super(Phase.PRE_PROTOCOL);
    if (expectedToken == null || expectedToken.isEmpty()) {
      throw new IllegalArgumentException("auth token must not be empty");
    }
    this.expectedToken = expectedToken.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handleMessage(SoapMessage message) {
    String token = tokenOf(message.getHeader(AUTH_HEADER));
    boolean valid = token != null
        && MessageDigest.isEqual(expectedToken, token.getBytes(StandardCharsets.UTF_8));
    if (!valid) {
      throw new SoapFault(FAULT_REASON, message.getVersion().getSender());
    }
  }

  /** The text of the header's {@code token} child, or null when there is none. */
  private static String tokenOf(Header header) {
    if (header == null || !(header.getObject() instanceof Element element)) {
      return null;
    }
    for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child instanceof Element token
          && TYPES_NAMESPACE.equals(token.getNamespaceURI())
          && "token".equals(token.getLocalName())) {
        return token.getTextContent().trim();
      }
    }
    return null;
  }
}
