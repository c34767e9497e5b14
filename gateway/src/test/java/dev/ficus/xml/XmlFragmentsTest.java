package dev.ficus.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.api.Test;

class XmlFragmentsTest {
  /** The XML text of the first child of the root of {@code doc}, as a reply's @any item. */
  private static String firstChild(String doc) throws XMLStreamException {
    XMLStreamReader r = XmlFragments.hardenedFactory(64).createXMLStreamReader(new StringReader(doc));
    r.nextTag();
    r.nextTag();
    String s = XmlFragments.read(r);
    assertThat(r.getEventType()).isEqualTo(XMLStreamConstants.END_ELEMENT);
    return s;
  }

  @Test
  void aFragmentDeclaresTheOuterNamespacesItUsesAndOnlyThose() throws Exception {
    String s = firstChild("<a xmlns='urn:d' xmlns:p='urn:p' xmlns:u='urn:unused' xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'>"
        + "<b p:x='1' xsi:type='p:T'><c>text</c></b></a>");

    assertThat(s).isEqualTo("<b p:x=\"1\" xsi:type=\"p:T\" xmlns=\"urn:d\" xmlns:p=\"urn:p\""
        + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><c>text</c></b>");
  }

  @Test
  void aPrefixDeclaredInsideTheFragmentIsNotDeclaredAgain() throws Exception {
    assertThat(firstChild("<a xmlns:p='urn:outer'><p:b xmlns:p='urn:inner'><p:c/></p:b></a>"))
        .isEqualTo("<p:b xmlns:p=\"urn:inner\"><p:c/></p:b>");
  }

  @Test
  void aClientFragmentMustBeExactlyOneElement() {
    assertThatThrownBy(() -> XmlFragments.parseOne("<a/></x><b/>")).isInstanceOf(XMLStreamException.class);
    assertThatThrownBy(() -> XmlFragments.parseOne("<p:a/>")).isInstanceOf(XMLStreamException.class);
    assertThatThrownBy(() -> XmlFragments.parseOne("<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>"))
        .isInstanceOf(XMLStreamException.class);
  }

  @Test
  void aClientFragmentIsWrittenAsReparsed() throws Exception {
    assertThat(XmlFragments.parseOne("<?xml version='1.0'?><!-- c --><o:a xmlns:o='urn:o'>x &amp; <![CDATA[<y>]]></o:a>"))
        .isEqualTo("<o:a xmlns:o=\"urn:o\">x &amp; &lt;y&gt;</o:a>");
  }
}
