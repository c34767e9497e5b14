package dev.ficus.samples.soap;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.wsdl.Binding;
import javax.wsdl.BindingOperation;
import javax.wsdl.Definition;
import javax.wsdl.Import;
import javax.wsdl.Part;
import javax.wsdl.extensions.schema.Schema;
import javax.wsdl.extensions.soap.SOAPBody;
import javax.wsdl.extensions.soap12.SOAP12Body;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.transform.Source;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.SchemaFactory;
import org.apache.cxf.helpers.DOMUtils;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;

/**
 * Compiles the request side of an RPC/literal binding into an XML Schema: the schemas of
 * the WSDL's {@code types} plus, per operation, a wrapper element named after the
 * operation (in the {@code soap:body namespace}) whose children are the input parts, in
 * order, as unqualified elements of the part's type (or references to the part's
 * element), as WS-I Basic Profile 1.1 §4.7.20 lays the body out.
 *
 * <p>CXF validates RPC parts one at a time, which accepts misplaced, qualified or
 * missing parts and fails on valid messages that do not declare the XSD namespace; a
 * schema of the whole wrapper has neither problem. Pure function; runs once at start-up.
 */
final class RpcLiteralSchemaCompiler {

  private static final String XSD = XMLConstants.W3C_XML_SCHEMA_NS_URI;

  private RpcLiteralSchemaCompiler() {
  }

  /**
   * @throws IllegalStateException when the schemas do not compile
   */
  static javax.xml.validation.Schema compile(Definition definition, Binding binding) {
    List<Source> sources = new ArrayList<>();
    collectTypes(definition, sources, new HashSet<>());
    wrapperSchemas(definition, binding).forEach(schema -> sources.add(new DOMSource(schema)));
    try {
      SchemaFactory factory = SchemaFactory.newInstance(XSD);
      return factory.newSchema(sources.toArray(Source[]::new));
    } catch (SAXException e) {
      throw new IllegalStateException(
          "cannot compile the RPC schema of " + binding.getQName() + ": " + e.getMessage(), e);
    }
  }

  private static void collectTypes(Definition definition, List<Source> sources, Set<String> seen) {
    if (!seen.add(definition.getDocumentBaseURI())) {
      return;
    }
    if (definition.getTypes() != null) {
      for (Object element : definition.getTypes().getExtensibilityElements()) {
        if (element instanceof Schema schema) {
          sources.add(new DOMSource(schema.getElement(), definition.getDocumentBaseURI()));
        }
      }
    }
    for (Object imports : definition.getImports().values()) {
      for (Object wsdlImport : (List<?>) imports) {
        Definition imported = ((Import) wsdlImport).getDefinition();
        if (imported != null) {
          collectTypes(imported, sources, seen);
        }
      }
    }
  }

  /** One schema document per wrapper namespace. */
  private static List<Element> wrapperSchemas(Definition definition, Binding binding) {
    Map<String, List<BindingOperation>> byNamespace = new LinkedHashMap<>();
    for (Object element : binding.getBindingOperations()) {
      BindingOperation operation = (BindingOperation) element;
      byNamespace.computeIfAbsent(bodyNamespace(definition, operation), ns -> new ArrayList<>())
          .add(operation);
    }
    List<Element> schemas = new ArrayList<>();
    byNamespace.forEach((namespace, operations) -> schemas.add(wrapperSchema(namespace, operations)));
    return schemas;
  }

  private static Element wrapperSchema(String namespace, List<BindingOperation> operations) {
    Document document = DOMUtils.createDocument();
    Element schema = document.createElementNS(XSD, "xs:schema");
    schema.setAttribute("targetNamespace", namespace);
    document.appendChild(schema);

    Map<String, String> prefixes = new LinkedHashMap<>();
    prefixes.put(XSD, "xs");
    Set<String> imports = new LinkedHashSet<>();
    List<Element> wrappers = new ArrayList<>();
    for (BindingOperation operation : operations) {
      Element wrapper = document.createElementNS(XSD, "xs:element");
      wrapper.setAttribute("name", operation.getName());
      Element sequence = child(child(wrapper, "complexType"), "sequence");
      for (Object element : operation.getOperation().getInput().getMessage().getOrderedParts(null)) {
        Part part = (Part) element;
        Element partElement = child(sequence, "element");
        if (part.getElementName() != null) {
          partElement.setAttribute("ref", qualified(part.getElementName(), prefixes, imports));
        } else {
          partElement.setAttribute("name", part.getName());
          partElement.setAttribute("type", qualified(part.getTypeName(), prefixes, imports));
        }
      }
      wrappers.add(wrapper);
    }

    prefixes.forEach((ns, prefix) ->
        schema.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:" + prefix, ns));
    imports.remove(namespace);
    for (String ns : imports) {
      child(schema, "import").setAttribute("namespace", ns);
    }
    wrappers.forEach(schema::appendChild);
    return schema;
  }

  private static String qualified(QName name, Map<String, String> prefixes, Set<String> imports) {
    if (!XSD.equals(name.getNamespaceURI())) {
      imports.add(name.getNamespaceURI());
    }
    String prefix = prefixes.computeIfAbsent(name.getNamespaceURI(), ns -> "p" + prefixes.size());
    return prefix + ":" + name.getLocalPart();
  }

  private static Element child(Element parent, String xsdLocalName) {
    Element child = parent.getOwnerDocument().createElementNS(XSD, "xs:" + xsdLocalName);
    parent.appendChild(child);
    return child;
  }

  /** The soap:body namespace of the operation's input, else the WSDL target namespace. */
  private static String bodyNamespace(Definition definition, BindingOperation operation) {
    for (Object element : operation.getBindingInput().getExtensibilityElements()) {
      if (element instanceof SOAPBody body && body.getNamespaceURI() != null) {
        return body.getNamespaceURI();
      }
      if (element instanceof SOAP12Body body && body.getNamespaceURI() != null) {
        return body.getNamespaceURI();
      }
    }
    return definition.getTargetNamespace();
  }
}
