package dev.ficus.soap;

import dev.ficus.xml.SchemaCompiler;
import dev.ficus.xml.XsdComplexType;
import dev.ficus.xml.XsdElement;
import dev.ficus.xml.XsdParticle;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.wsdl.Binding;
import javax.wsdl.BindingInput;
import javax.wsdl.BindingOperation;
import javax.wsdl.Definition;
import javax.wsdl.Import;
import javax.wsdl.Message;
import javax.wsdl.Operation;
import javax.wsdl.Part;
import javax.wsdl.Port;
import javax.wsdl.Service;
import javax.wsdl.Types;
import javax.wsdl.WSDLException;
import javax.wsdl.extensions.ExtensibilityElement;
import javax.wsdl.extensions.schema.Schema;
import javax.wsdl.extensions.soap.SOAPAddress;
import javax.wsdl.extensions.soap.SOAPBinding;
import javax.wsdl.extensions.soap.SOAPBody;
import javax.wsdl.extensions.soap.SOAPHeader;
import javax.wsdl.extensions.soap.SOAPOperation;
import javax.wsdl.extensions.soap12.SOAP12Address;
import javax.wsdl.extensions.soap12.SOAP12Binding;
import javax.wsdl.extensions.soap12.SOAP12Body;
import javax.wsdl.extensions.soap12.SOAP12Header;
import javax.wsdl.extensions.soap12.SOAP12Operation;
import javax.wsdl.factory.WSDLFactory;
import javax.wsdl.xml.WSDLReader;
import javax.xml.namespace.QName;
import org.apache.ws.commons.schema.XmlSchemaCollection;
import org.w3c.dom.Element;

/**
 * A WSDL 1.1 document with its {@code wsdl:import} chain and the XML Schemas of its types
 * (with their {@code xsd:import}/{@code xsd:include}), read with WSDL4J and Apache XmlSchema.
 * Resolves services, ports and binding operations by name into {@link SoapOperation}s.
 * Read once per configuration compile; not used on the request path.
 */
public final class WsdlDocument {
  private final String location;
  private final Definition definition;
  private final SchemaCompiler schemas;

  private WsdlDocument(String location, Definition definition, SchemaCompiler schemas) {
    this.location = location;
    this.definition = definition;
    this.schemas = schemas;
  }

  /** Reads the WSDL at {@code uri} (file: or http:) and every document it imports. */
  public static WsdlDocument read(String uri) throws WsdlProblem {
    Definition def;
    try {
      WSDLReader reader = WSDLFactory.newInstance().newWSDLReader();
      reader.setFeature("javax.wsdl.verbose", false);
      reader.setFeature("javax.wsdl.importDocuments", true);
      def = reader.readWSDL(uri);
    } catch (WSDLException e) {
      throw new WsdlProblem(unreadable(uri, e));
    } catch (RuntimeException e) {
      throw new WsdlProblem("cannot read WSDL " + uri + ": " + firstLine(String.valueOf(e.getMessage())));
    }
    XmlSchemaCollection collection = new XmlSchemaCollection();
    try {
      readSchemas(def, collection, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
    } catch (RuntimeException e) {
      throw new WsdlProblem("cannot read the XML Schema of " + uri + ": " + firstLine(String.valueOf(e.getMessage())));
    }
    return new WsdlDocument(uri, def, new SchemaCompiler(collection));
  }

  private static void readSchemas(Definition def, XmlSchemaCollection collection, Set<Definition> seen) {
    if (!seen.add(def)) {
      return;
    }
    Types types = def.getTypes();
    if (types != null) {
      for (Object o : types.getExtensibilityElements()) {
        if (o instanceof Schema s) {
          Element el = s.getElement();
          String base = s.getDocumentBaseURI() != null ? s.getDocumentBaseURI() : def.getDocumentBaseURI();
          collection.setBaseUri(base);
          collection.read(el, base);
        }
      }
    }
    for (Object list : def.getImports().values()) {
      for (Object imp : (List<?>) list) {
        Definition d = ((Import) imp).getDefinition();
        if (d != null) {
          readSchemas(d, collection, seen);
        }
      }
    }
  }

  /** WSDL4J says "imported document" of the main document too; the document that failed, or null. */
  private static final java.util.regex.Pattern IMPORTED =
      java.util.regex.Pattern.compile("Unable to resolve imported document at '([^']*)'");

  /**
   * One sentence for a WSDL that cannot be read: when the network or the file system is the
   * cause, say which document and why in plain words (WSDL4J's own text calls the main document
   * "imported" and repeats the cause twice).
   */
  static String unreadable(String uri, WSDLException e) {
    Throwable cause = e.getTargetException();
    java.util.regex.Matcher m = IMPORTED.matcher(String.valueOf(e.getMessage()));
    String failed = m.find() ? m.group(1) : uri;
    if (cause instanceof java.io.IOException io) {
      String why = ioReason(io);
      return failed.equals(uri) ? "cannot read WSDL " + uri + ": " + why
          : "cannot read WSDL " + uri + ": its import " + failed + " cannot be read: " + why;
    }
    return "cannot read WSDL " + uri + ": " + firstLine(e.getMessage())
        + (cause != null ? " (" + firstLine(String.valueOf(cause.getMessage())) + ")" : "");
  }

  private static String ioReason(java.io.IOException io) {
    if (io instanceof java.net.ConnectException) {
      return "the connection was refused";
    }
    if (io instanceof java.net.UnknownHostException) {
      return "the host " + io.getMessage() + " is unknown";
    }
    if (io instanceof java.net.SocketTimeoutException) {
      return "the server did not answer in time";
    }
    if (io instanceof java.io.FileNotFoundException) {
      // HttpURLConnection's way of saying 404, and the file system's of saying "no such file".
      return "no such document";
    }
    return firstLine(String.valueOf(io.getMessage()));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return (nl > 0 ? s.substring(0, nl) : s).trim();
  }

  public String location() {
    return location;
  }

  public SchemaCompiler schemas() {
    return schemas;
  }

  /** A port's binding, SOAP version and address. */
  public record PortInfo(String service, String port, Binding binding, SoapVersion version, String address) {}

  /** The names of all services (in this document and the ones it imports). */
  public List<String> serviceNames() {
    List<String> names = new ArrayList<>();
    for (Object o : definition.getAllServices().values()) {
      names.add(((Service) o).getQName().getLocalPart());
    }
    return names;
  }

  /**
   * Chooses a SOAP port: {@code service} and {@code port} may be null when unambiguous.
   * Throws with the names to choose from otherwise.
   */
  public PortInfo port(String serviceName, String portName) throws WsdlProblem {
    Map<String, Service> services = new LinkedHashMap<>();
    for (Object o : definition.getAllServices().values()) {
      Service s = (Service) o;
      services.put(s.getQName().getLocalPart(), s);
    }
    if (services.isEmpty()) {
      throw new WsdlProblem("the WSDL declares no service");
    }
    Service service;
    if (serviceName == null) {
      if (services.size() > 1) {
        throw new WsdlProblem("the WSDL has several services; choose one with 'service:' from "
            + String.join(", ", new java.util.TreeSet<>(services.keySet())));
      }
      service = services.values().iterator().next();
    } else {
      service = services.get(serviceName);
      if (service == null) {
        throw new WsdlProblem("service '" + serviceName + "' is not in the WSDL"
            + dev.ficus.config.Problems.suggestion(serviceName, services.keySet()));
      }
    }
    Map<String, PortInfo> ports = new LinkedHashMap<>();
    for (Object o : service.getPorts().values()) {
      Port p = (Port) o;
      SoapVersion v = versionOf(p.getBinding());
      if (v == null) {
        continue;
      }
      ports.put(p.getName(), new PortInfo(service.getQName().getLocalPart(), p.getName(), p.getBinding(), v,
          addressOf(p)));
    }
    String svc = service.getQName().getLocalPart();
    if (ports.isEmpty()) {
      throw new WsdlProblem("service '" + svc + "' has no SOAP port");
    }
    if (portName == null) {
      if (ports.size() > 1) {
        throw new WsdlProblem("service '" + svc + "' has several SOAP ports; choose one with 'port:' from "
            + String.join(", ", new java.util.TreeSet<>(ports.keySet())));
      }
      return ports.values().iterator().next();
    }
    PortInfo p = ports.get(portName);
    if (p == null) {
      throw new WsdlProblem("port '" + portName + "' is not in service '" + svc + "'"
          + dev.ficus.config.Problems.suggestion(portName, ports.keySet()));
    }
    return p;
  }

  private static SoapVersion versionOf(Binding b) {
    if (b == null) {
      return null;
    }
    for (Object o : b.getExtensibilityElements()) {
      if (o instanceof SOAPBinding) {
        return SoapVersion.SOAP_11;
      }
      if (o instanceof SOAP12Binding) {
        return SoapVersion.SOAP_12;
      }
    }
    return null;
  }

  private static String addressOf(Port p) {
    for (Object o : p.getExtensibilityElements()) {
      if (o instanceof SOAPAddress a) {
        return a.getLocationURI();
      }
      if (o instanceof SOAP12Address a) {
        return a.getLocationURI();
      }
    }
    return null;
  }

  /** Names of the operations of a port's binding. */
  public static List<String> operationNames(PortInfo port) {
    List<String> names = new ArrayList<>();
    for (Object o : port.binding().getBindingOperations()) {
      names.add(((BindingOperation) o).getName());
    }
    return names;
  }

  /** Resolves operation {@code name} of {@code port} against the schemas. */
  public SoapOperation operation(PortInfo port, String name) throws WsdlProblem {
    BindingOperation bop = null;
    for (Object o : port.binding().getBindingOperations()) {
      BindingOperation b = (BindingOperation) o;
      if (b.getName().equals(name)) {
        bop = b;
        break;
      }
    }
    if (bop == null) {
      throw new WsdlProblem("operation '" + name + "' is not in " + port.service() + "/" + port.port()
          + dev.ficus.config.Problems.suggestion(name, operationNames(port)));
    }
    Operation op = bop.getOperation();
    String style = bindingStyle(port.binding());
    String action = "";
    for (Object o : bop.getExtensibilityElements()) {
      if (o instanceof SOAPOperation so) {
        action = so.getSoapActionURI() == null ? "" : so.getSoapActionURI();
        style = so.getStyle() != null ? so.getStyle() : style;
      } else if (o instanceof SOAP12Operation so) {
        action = so.getSoapActionURI() == null ? "" : so.getSoapActionURI();
        style = so.getStyle() != null ? so.getStyle() : style;
      }
    }
    boolean rpc = "rpc".equals(style);
    BindingInput bin = bop.getBindingInput();
    List<?> inExt = bin == null ? List.of() : bin.getExtensibilityElements();
    refuseAttachments(name, "input", inExt);
    refuseAttachments(name, "output", bop.getBindingOutput() == null ? List.of()
        : bop.getBindingOutput().getExtensibilityElements());
    List<XsdElement> headers = new ArrayList<>();
    List<String> headerPartsOfInput = new ArrayList<>();
    headerParts(inExt, op.getInput() == null ? null : op.getInput().getMessage(), name, headers, headerPartsOfInput);
    String rpcNs = rpcNamespace(inExt, port);
    SoapOperation.Message input = message(op.getInput() == null ? null : op.getInput().getMessage(),
        bodyParts(inExt), headerPartsOfInput, rpc, new QName(rpcNs, name), name);
    SoapOperation.Message output = null;
    List<XsdElement> outputHeaders = new ArrayList<>();
    if (op.getOutput() != null && op.getOutput().getMessage() != null) {
      List<?> outExt = bop.getBindingOutput() == null ? List.of() : bop.getBindingOutput().getExtensibilityElements();
      String rpcOutNs = rpcNamespace(outExt, port);
      List<String> headerPartsOfOutput = new ArrayList<>();
      headerParts(outExt, op.getOutput().getMessage(), name, outputHeaders, headerPartsOfOutput);
      output = message(op.getOutput().getMessage(), bodyParts(outExt), headerPartsOfOutput, rpc,
          new QName(rpcOutNs, name + "Response"), name);
    }
    List<SoapOperation.Fault> faults = new ArrayList<>();
    for (Object o : op.getFaults().values()) {
      javax.wsdl.Fault f = (javax.wsdl.Fault) o;
      if (f.getMessage() == null) {
        continue;
      }
      for (Object po : f.getMessage().getOrderedParts(null)) {
        Part p = (Part) po;
        if (p.getElementName() != null) {
          faults.add(new SoapOperation.Fault(f.getName(), element(p.getElementName(), name)));
        }
      }
    }
    return new SoapOperation(name, port.version(), action, input, output, faults, headers, outputHeaders);
  }

  /**
   * Collects the {@code soap:header} elements of one binding input or output into
   * {@code elements}, and into {@code partsOfMessage} the names of those that are parts of
   * {@code message} itself (they are not body parts); a header naming another message's part
   * (an implicit header) counts as a header all the same.
   */
  private void headerParts(List<?> ext, Message message, String name, List<XsdElement> elements,
      List<String> partsOfMessage) throws WsdlProblem {
    for (Object o : ext) {
      QName msg = null;
      String part = null;
      if (o instanceof SOAPHeader h) {
        msg = h.getMessage();
        part = h.getPart();
      } else if (o instanceof SOAP12Header h) {
        msg = h.getMessage();
        part = h.getPart();
      }
      if (msg != null) {
        Message m = findMessage(msg);
        Part p = m == null ? null : m.getPart(part);
        if (p == null || p.getElementName() == null) {
          throw new WsdlProblem("soap:header of operation '" + name + "' names part '" + part + "' of message "
              + msg + ", which has no such element part");
        }
        elements.add(element(p.getElementName(), name));
        if (message != null && msg.equals(message.getQName())) {
          partsOfMessage.add(part);
        }
      }
    }
  }

  private Message findMessage(QName name) {
    return findMessage(definition, name, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
  }

  private static Message findMessage(Definition def, QName name, Set<Definition> seen) {
    if (!seen.add(def)) {
      return null;
    }
    Message m = (Message) def.getMessages().get(name);
    if (m != null && !m.isUndefined()) {
      return m;
    }
    for (Object list : def.getImports().values()) {
      for (Object imp : (List<?>) list) {
        Definition d = ((Import) imp).getDefinition();
        Message found = d == null ? null : findMessage(d, name, seen);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static String bindingStyle(Binding b) {
    for (Object o : b.getExtensibilityElements()) {
      if (o instanceof SOAPBinding sb && sb.getStyle() != null) {
        return sb.getStyle();
      }
      if (o instanceof SOAP12Binding sb && sb.getStyle() != null) {
        return sb.getStyle();
      }
    }
    return "document";
  }

  /**
   * SOAP with Attachments (a {@code mime:multipartRelated} binding, swaRef parts) puts parts
   * of the message outside the envelope, in MIME parts; the gateway writes and reads only the
   * envelope, so such an operation is refused by name (instead of by what its attachment parts
   * look like from inside the envelope).
   */
  private static void refuseAttachments(String opName, String direction, List<?> ext) throws WsdlProblem {
    for (Object o : ext) {
      if (o instanceof javax.wsdl.extensions.mime.MIMEMultipartRelated) {
        throw new WsdlProblem("operation '" + opName + "' uses SOAP with Attachments (SwA: mime:multipartRelated in "
            + "its binding " + direction + "), which Ficus does not support; it sends and reads the SOAP envelope "
            + "only. Binary content inline in the envelope (xs:base64Binary, which MTOM services also accept "
            + "unoptimised) is supported");
      }
    }
  }

  private static List<?> bodyParts(List<?> ext) {
    for (Object o : ext) {
      if (o instanceof SOAPBody b) {
        return b.getParts();
      }
      if (o instanceof SOAP12Body b) {
        return b.getParts();
      }
    }
    return null;
  }

  private String rpcNamespace(List<?> ext, PortInfo port) {
    for (Object o : ext) {
      String ns = null;
      if (o instanceof SOAPBody b) {
        ns = b.getNamespaceURI();
      } else if (o instanceof SOAP12Body b) {
        ns = b.getNamespaceURI();
      }
      if (ns != null && !ns.isEmpty()) {
        return ns;
      }
    }
    return definition.getTargetNamespace();
  }

  private SoapOperation.Message message(Message m, List<?> bodyPartNames, List<String> excludedParts, boolean rpc,
      QName rpcWrapper, String opName) throws WsdlProblem {
    List<XsdParticle> parts = new ArrayList<>();
    XsdElement single = null;
    int count = 0;
    if (m != null) {
      for (Object po : m.getOrderedParts(null)) {
        Part p = (Part) po;
        if (excludedParts.contains(p.getName())) {
          continue;
        }
        if (bodyPartNames != null && !bodyPartNames.contains(p.getName())) {
          continue;
        }
        XsdElement e;
        if (rpc) {
          if (p.getTypeName() != null) {
            Object type = schemas.namedType(p.getTypeName());
            if (type == null) {
              throw new WsdlProblem("part '" + p.getName() + "' of operation '" + opName + "' has unknown type "
                  + p.getTypeName());
            }
            e = XsdElement.of(new QName("", p.getName()), type, 1, 1, true);
          } else {
            XsdElement global = element(p.getElementName(), opName);
            e = XsdElement.of(global.name(), global.type(), 1, 1, global.nillable());
          }
        } else {
          if (p.getElementName() == null) {
            throw new WsdlProblem("part '" + p.getName() + "' of operation '" + opName
                + "' uses type= in a document-style binding; document style needs element= parts");
          }
          e = element(p.getElementName(), opName);
        }
        parts.add(e);
        single = e;
        count++;
      }
    }
    XsdComplexType body = XsdComplexType.synthetic(
        new XsdParticle.Group(XsdParticle.Group.Kind.SEQUENCE, parts, 1, 1));
    XsdElement unwrapped = !rpc && count == 1 && single.complexType() != null ? single : null;
    return new SoapOperation.Message(rpc ? rpcWrapper : null, body, unwrapped);
  }

  private XsdElement element(QName name, String opName) throws WsdlProblem {
    XsdElement e = schemas.globalElement(name);
    if (e == null) {
      throw new WsdlProblem("operation '" + opName + "' uses element " + name + ", which no schema declares");
    }
    return e;
  }

  /** A problem with the WSDL or its schemas, phrased for the mapping author. */
  public static final class WsdlProblem extends Exception {
    public WsdlProblem(String message) {
      super(message, null, false, false);
    }
  }
}
