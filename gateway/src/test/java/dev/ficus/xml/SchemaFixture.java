package dev.ficus.xml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.error.GatewayError.FieldError;
import dev.ficus.http.Json;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.ws.commons.schema.XmlSchemaCollection;
import org.xml.sax.InputSource;

/**
 * A small XSD compiled from a string, with helpers to write JSON through {@link JsonToXml} and
 * read XML through {@link XmlToJson}. Target namespace {@value #TNS}, prefix {@code t}.
 */
final class SchemaFixture {
  static final String TNS = "urn:test";
  private static final XMLInputFactory XML = XMLInputFactory.newDefaultFactory();

  final SchemaCompiler compiler;

  private SchemaFixture(SchemaCompiler compiler) {
    this.compiler = compiler;
  }

  /** Compiles the schema whose top-level declarations are {@code body} (qualified elements). */
  static SchemaFixture qualified(String body) {
    return of("qualified", body);
  }

  static SchemaFixture unqualified(String body) {
    return of("unqualified", body);
  }

  private static SchemaFixture of(String form, String body) {
    String xsd = "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema' xmlns:t='" + TNS + "' targetNamespace='"
        + TNS + "' elementFormDefault='" + form + "'>" + body + "</xs:schema>";
    XmlSchemaCollection c = new XmlSchemaCollection();
    c.read(new InputSource(new StringReader(xsd)));
    SchemaCompiler compiler = new SchemaCompiler(c);
    return new SchemaFixture(compiler);
  }

  XsdElement element(String local) {
    XsdElement e = compiler.globalElement(new QName(TNS, local));
    assertThat(e).as("global element %s", local).isNotNull();
    assertThat(compiler.problems()).as("schema problems").isEmpty();
    return e;
  }

  static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The outcome of writing one element: the XML (wrapped so that prefixes are declared) and the errors. */
  record Written(String xml, List<FieldError> errors) {
    List<String> pointers() {
      return errors.stream().map(FieldError::pointer).toList();
    }

    /** The single error's "pointer: detail". */
    String error() {
      assertThat(errors).as("field errors").hasSize(1);
      return errors.get(0).pointer() + ": " + errors.get(0).detail();
    }

    void isSimilarTo(String expected) {
      assertThat(errors).as("field errors").isEmpty();
      XmlCompare.assertSimilar(expected, xml);
    }
  }

  Written write(String element, String json) {
    return write(element, json, true);
  }

  Written write(String element, String json, boolean rejectUnknown) {
    XsdElement e = element(element);
    Map<String, String> prefixes = new NamespaceScan().add(e).prefixes();
    StringBuilder out = new StringBuilder();
    out.append("<w xmlns:xsi='").append(XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI).append('\'');
    prefixes.forEach((ns, p) -> out.append(" xmlns:").append(p).append("='").append(ns).append('\''));
    out.append('>');
    List<FieldError> errors = new ArrayList<>();
    new JsonToXml(prefixes, rejectUnknown).writeElement(e, json(json), "", out, errors);
    out.append("</w>");
    return new Written(out.toString(), errors);
  }

  /** Wraps expected element XML the way {@link #write} wraps its output. */
  static String wrapped(String xml) {
    return "<w xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' xmlns:t='" + TNS + "'>" + xml + "</w>";
  }

  JsonNode read(String element, String xml) throws XMLStreamException, XmlToJson.InvalidReplyException {
    return read(element, xml, false, 64);
  }

  JsonNode read(String element, String xml, boolean preciseAsStrings, int maxDepth)
      throws XMLStreamException, XmlToJson.InvalidReplyException {
    XMLStreamReader r = XML.createXMLStreamReader(new StringReader(xml));
    r.nextTag();
    return new XmlToJson(preciseAsStrings, maxDepth).readElement(r, element(element), XmlToJson.newPath());
  }

  /** Reads {@code xml} and renders the result with the gateway's JSON mapper. */
  String readAsJson(String element, String xml) throws Exception {
    return Json.MAPPER.writeValueAsString(read(element, xml));
  }

  String readAsJson(String element, String xml, boolean preciseAsStrings) throws Exception {
    return Json.MAPPER.writeValueAsString(read(element, xml, preciseAsStrings, 64));
  }
}
