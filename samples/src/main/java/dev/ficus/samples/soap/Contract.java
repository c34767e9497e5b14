package dev.ficus.samples.soap;

import java.net.URL;
import java.util.List;
import javax.wsdl.Binding;
import javax.wsdl.BindingOperation;
import javax.wsdl.Definition;
import javax.wsdl.Port;
import javax.wsdl.Service;
import javax.wsdl.WSDLException;
import javax.wsdl.extensions.soap.SOAPBinding;
import javax.wsdl.extensions.soap.SOAPOperation;
import javax.wsdl.extensions.soap12.SOAP12Binding;
import javax.wsdl.extensions.soap12.SOAP12Operation;
import javax.xml.namespace.QName;
import org.apache.cxf.Bus;
import org.apache.cxf.binding.soap.Soap11;
import org.apache.cxf.binding.soap.Soap12;
import org.apache.cxf.binding.soap.SoapVersion;
import org.apache.cxf.wsdl.WSDLManager;

/**
 * One hand-written WSDL from the top-level {@code wsdl/} directory (copied onto the
 * classpath under {@code wsdl/}), parsed once through the bus's WSDL manager so the
 * endpoints published from it reuse the same definition.
 *
 * @param location   the classpath URL the endpoints serve the contract from
 * @param definition the parsed WSDL, imports included
 * @param service    the WSDL service published from it
 */
record Contract(String location, Definition definition, Service service) {

  /**
   * Loads {@code wsdl/<wsdlFile>} from the classpath.
   *
   * @throws IllegalStateException when the file is missing, does not parse or lacks the service
   */
  static Contract load(Bus bus, String wsdlFile, QName serviceName) {
    URL url = Contract.class.getResource("/wsdl/" + wsdlFile);
    if (url == null) {
      throw new IllegalStateException("wsdl/" + wsdlFile + " is not on the classpath");
    }
    String location = url.toExternalForm();
    Definition definition;
    try {
      definition = bus.getExtension(WSDLManager.class).getDefinition(location);
    } catch (WSDLException e) {
      throw new IllegalStateException("cannot read " + location + ": " + e.getMessage(), e);
    }
    Service service = definition.getService(serviceName);
    if (service == null) {
      throw new IllegalStateException(location + " has no service " + serviceName);
    }
    return new Contract(location, definition, service);
  }

  QName serviceName() {
    return service.getQName();
  }

  /** The binding of the named port. */
  Binding binding(String portName) {
    Port port = service.getPort(portName);
    if (port == null) {
      throw new IllegalStateException(serviceName() + " has no port " + portName);
    }
    return port.getBinding();
  }

  /** The SOAP version of the named port's binding. */
  SoapVersion soapVersion(String portName) {
    return soap12(binding(portName)) ? Soap12.getInstance() : Soap11.getInstance();
  }

  /** Whether the named port's binding has RPC style (binding default or every operation). */
  boolean isRpc(String portName) {
    Binding binding = binding(portName);
    String defaultStyle = bindingStyle(binding);
    List<?> operations = binding.getBindingOperations();
    return !operations.isEmpty() && operations.stream()
        .map(BindingOperation.class::cast)
        .allMatch(operation -> "rpc".equals(operationStyle(operation, defaultStyle)));
  }

  private static boolean soap12(Binding binding) {
    return binding.getExtensibilityElements().stream().anyMatch(SOAP12Binding.class::isInstance);
  }

  private static String bindingStyle(Binding binding) {
    for (Object element : binding.getExtensibilityElements()) {
      if (element instanceof SOAPBinding soap && soap.getStyle() != null) {
        return soap.getStyle();
      }
      if (element instanceof SOAP12Binding soap && soap.getStyle() != null) {
        return soap.getStyle();
      }
    }
    return "document";
  }

  private static String operationStyle(BindingOperation operation, String defaultStyle) {
    for (Object element : operation.getExtensibilityElements()) {
      if (element instanceof SOAPOperation soap && soap.getStyle() != null) {
        return soap.getStyle();
      }
      if (element instanceof SOAP12Operation soap && soap.getStyle() != null) {
        return soap.getStyle();
      }
    }
    return defaultStyle;
  }
}
