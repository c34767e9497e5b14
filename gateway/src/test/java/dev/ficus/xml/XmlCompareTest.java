package dev.ficus.xml;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The comparison the other tests rely on must notice what matters and only that. */
class XmlCompareTest {
  @Test
  void prefixesAndWhitespaceDoNotMatter() {
    assertThatCode(() -> XmlCompare.assertSimilar(
        "<a:x xmlns:a='urn:n'>\n  <a:y>1</a:y>\n</a:x>", "<b:x xmlns:b='urn:n'><b:y>1</b:y></b:x>"))
        .doesNotThrowAnyException();
  }

  @Test
  void xsiTypeIsComparedAsAQName() {
    String xsi = "xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'";
    assertThatCode(() -> XmlCompare.assertSimilar(
        "<a:x xmlns:a='urn:n' " + xsi + " xsi:type='a:T'/>", "<b:x xmlns:b='urn:n' " + xsi + " xsi:type='b:T'/>"))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> XmlCompare.assertSimilar(
        "<a:x xmlns:a='urn:n' " + xsi + " xsi:type='a:T'/>", "<b:x xmlns:b='urn:n' " + xsi + " xsi:type='b:U'/>"))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void elementOrderMatters() {
    assertThatThrownBy(() -> XmlCompare.assertSimilar("<x><a/><b/></x>", "<x><b/><a/></x>"))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void namespacesMatter() {
    assertThatThrownBy(() -> XmlCompare.assertSimilar("<x xmlns='urn:a'/>", "<x xmlns='urn:b'/>"))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> XmlCompare.assertSimilar("<x xmlns='urn:a'><y/></x>", "<x xmlns='urn:a'><y xmlns=''/></x>"))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void attributesAndTextMatter() {
    assertThatThrownBy(() -> XmlCompare.assertSimilar("<x a='1'/>", "<x a='2'/>")).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> XmlCompare.assertSimilar("<x/>", "<x a='1'/>")).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> XmlCompare.assertSimilar("<x>1</x>", "<x>2</x>")).isInstanceOf(AssertionError.class);
  }
}
