package dev.ficus.samples.soap;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import javax.wsdl.Definition;
import javax.wsdl.factory.WSDLFactory;
import javax.wsdl.xml.WSDLReader;
import javax.xml.namespace.QName;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXException;

class RpcLiteralSchemaCompilerTest {

  private static Schema schema;

  @BeforeAll
  static void compileTheCalculatorContract() throws Exception {
    WSDLReader reader = WSDLFactory.newInstance().newWSDLReader();
    reader.setFeature("javax.wsdl.verbose", false);
    Definition definition = reader.readWSDL(
        RpcLiteralSchemaCompilerTest.class.getResource("/wsdl/calculator.wsdl").toExternalForm());
    schema = RpcLiteralSchemaCompiler.compile(definition,
        definition.getBinding(new QName("urn:example:calculator", "CalculatorBinding")));
  }

  private static void validate(String wrapper) throws Exception {
    schema.newValidator().validate(new StreamSource(new StringReader(wrapper)));
  }

  @Test
  void wrapperWithUnqualifiedPartsInOrderIsValid() {
    assertThatCode(() -> validate("<add xmlns='urn:example:calculator'><a xmlns=''>1</a><b xmlns=''>2</b></add>"))
        .doesNotThrowAnyException();
  }

  @Test
  void partTypedWithASchemaTypeKeepsItsQualifiedChildren() {
    assertThatCode(() -> validate("""
        <c:stats xmlns:c='urn:example:calculator' xmlns:t='urn:example:calculator:types'>
          <values><t:value>1.5</t:value></values></c:stats>"""))
        .doesNotThrowAnyException();
  }

  @Test
  void partsInTheWrongOrderAreInvalid() {
    assertThatThrownBy(() -> validate("<add xmlns='urn:example:calculator'><b xmlns=''>2</b><a xmlns=''>1</a></add>"))
        .isInstanceOf(SAXException.class);
  }

  @Test
  void wrapperInTheWrongNamespaceIsInvalid() {
    assertThatThrownBy(() -> validate("<add xmlns='urn:example:other'><a xmlns=''>1</a><b xmlns=''>2</b></add>"))
        .isInstanceOf(SAXException.class);
  }

  @Test
  void partValueOutsideItsTypeIsInvalid() {
    assertThatThrownBy(() -> validate("<add xmlns='urn:example:calculator'><a xmlns=''>1.5</a><b xmlns=''>2</b></add>"))
        .isInstanceOf(SAXException.class);
  }
}
