package dev.ficus.soap;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.error.GatewayError;
import dev.ficus.xml.JsonField;
import dev.ficus.xml.JsonToXml;
import dev.ficus.xml.NamespaceScan;
import dev.ficus.xml.XsdElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The repository's WSDLs (in {@code ../wsdl} relative to the gateway module, where surefire
 * runs), each read once per test JVM, and codecs built from their operations the way the
 * mapping compiler builds them.
 */
final class Wsdls {
  private Wsdls() {}

  static Path dir() {
    Path p = Path.of("..", "wsdl");
    if (!Files.isDirectory(p)) {
      p = Path.of("wsdl");
    }
    return p;
  }

  static String uri(String file) {
    return dir().resolve(file).toAbsolutePath().normalize().toUri().toString();
  }

  private static final class Holder {
    static final WsdlDocument CUSTOMERS = read("customers.wsdl");
    static final WsdlDocument CALCULATOR = read("calculator.wsdl");
    static final WsdlDocument ECHO = read("echo.wsdl");

    private static WsdlDocument read(String file) {
      try {
        return WsdlDocument.read(uri(file));
      } catch (WsdlDocument.WsdlProblem e) {
        throw new AssertionError(file + ": " + e.getMessage(), e);
      }
    }
  }

  static WsdlDocument customers() {
    return Holder.CUSTOMERS;
  }

  static WsdlDocument calculator() {
    return Holder.CALCULATOR;
  }

  static WsdlDocument echo() {
    return Holder.ECHO;
  }

  static SoapOperation operation(WsdlDocument wsdl, String service, String port, String name) {
    try {
      return wsdl.operation(wsdl.port(service, port), name);
    } catch (WsdlDocument.WsdlProblem e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  static SoapOperation customers11(String name) {
    return operation(customers(), "CustomerService", "CustomerSoap11Port", name);
  }

  static SoapOperation customers12(String name) {
    return operation(customers(), "CustomerService", "CustomerSoap12Port", name);
  }

  static SoapOperation calculator(String name) {
    return operation(calculator(), null, null, name);
  }

  static SoapOperation echoOp() {
    return operation(echo(), null, null, "echo");
  }

  /** A codec with the operation's namespaces and the given static SOAP headers (by element local name). */
  static EnvelopeCodec codec(SoapOperation op, Map<String, JsonNode> headers, boolean rejectUnknown,
      boolean precise, int maxDepth) {
    NamespaceScan ns = new NamespaceScan();
    if (op.input().rpcWrapper() != null) {
      ns.add(op.input().rpcWrapper().getNamespaceURI());
    }
    for (JsonField f : op.input().body().fields()) {
      ns.add(f.element());
    }
    op.headers().forEach(ns::add);
    Map<String, String> prefixes = ns.prefixes();
    StringBuilder headerXml = new StringBuilder();
    List<GatewayError.FieldError> errors = new ArrayList<>();
    for (XsdElement h : op.headers()) {
      JsonNode v = headers.get(h.name().getLocalPart());
      if (v != null) {
        new JsonToXml(prefixes, true).writeElement(h, v, "", headerXml, errors);
      }
    }
    if (!errors.isEmpty()) {
      throw new AssertionError("header errors: " + errors);
    }
    return new EnvelopeCodec(op, prefixes, headerXml.toString(), rejectUnknown, precise, maxDepth);
  }

  static EnvelopeCodec codec(SoapOperation op) {
    return codec(op, Map.of(), true, false, 64);
  }
}
