package dev.ficus.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class XmlToJsonTest {
  private static final SchemaFixture FX = TestSchemas.qualified();
  private static final String T = " xmlns:t='urn:test' xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'";

  private static String order(String content) {
    return "<t:order" + T + " version='1'><t:id>1</t:id><t:customer>Ann</t:customer>" + content + "</t:order>";
  }

  @Test
  void singleRepeatedElementBecomesAnArrayOfOne() throws Exception {
    assertThat(FX.readAsJson("order", order("<t:tag>x</t:tag>")))
        .isEqualTo("{\"version\":1,\"id\":1,\"customer\":\"Ann\",\"line\":[],\"tag\":[\"x\"]}");
  }

  @Test
  void repeatedElementsBecomeAnArrayInDocumentOrder() throws Exception {
    JsonNode n = FX.read("order", order("<t:tag>b</t:tag><t:tag>a</t:tag><t:tag>c</t:tag>"));

    assertThat(n.get("tag").toString()).isEqualTo("[\"b\",\"a\",\"c\"]");
  }

  @Test
  void absentRepeatedElementsBecomeEmptyArraysInSchemaOrder() throws Exception {
    assertThat(FX.readAsJson("order", order("")))
        .isEqualTo("{\"version\":1,\"id\":1,\"customer\":\"Ann\",\"line\":[],\"tag\":[]}");
  }

  @Test
  void complexArrayItemsAreObjectsWithAttributesAsMembers() throws Exception {
    assertThat(FX.readAsJson("order", order("""
        <t:line gift='true'><t:sku>A</t:sku><t:qty>2</t:qty></t:line>
        <t:line><t:sku>B</t:sku><t:qty>1</t:qty></t:line>""")))
        .isEqualTo("{\"version\":1,\"id\":1,\"customer\":\"Ann\",\"line\":[{\"gift\":true,\"sku\":\"A\",\"qty\":2},"
            + "{\"sku\":\"B\",\"qty\":1}],\"tag\":[]}");
  }

  @Test
  void attributesBecomeMembersTypedByTheSchema() throws Exception {
    JsonNode n = FX.read("order", "<t:order" + T + " version='7' channel='web' other='x'><t:id>1</t:id>"
        + "<t:customer>a</t:customer></t:order>");

    assertThat(n.get("version").isInt()).isTrue();
    assertThat(n.get("version").intValue()).isEqualTo(7);
    assertThat(n.get("channel").textValue()).isEqualTo("web");
    assertThat(n.has("other")).isFalse();
  }

  @Test
  void numbersBecomeJsonNumbers() throws Exception {
    assertThat(FX.readAsJson("values", """
        <t:values xmlns:t='urn:test'>
          <t:i> 42 </t:i><t:l>9223372036854775807</t:l><t:s>-7</t:s><t:ui>4294967295</t:ui>
          <t:ul>18446744073709551615</t:ul><t:integer>+12</t:integer>
          <t:d>12.50</t:d><t:dbl>1.5E3</t:dbl><t:f>0.25</t:f>
        </t:values>"""))
        .isEqualTo("{\"i\":42,\"l\":9223372036854775807,\"s\":-7,\"ui\":4294967295,"
            + "\"ul\":18446744073709551615,\"integer\":12,\"d\":12.50,\"dbl\":1500.0,\"f\":0.25}");
  }

  @Test
  void decimalKeepsEveryDigit() throws Exception {
    JsonNode n = FX.read("values", "<t:values xmlns:t='urn:test'><t:d>"
        + "0.1000000000000000055511151231257827021181583404541015625</t:d></t:values>");

    assertThat(n.get("d").isBigDecimal()).isTrue();
    assertThat(n.get("d").decimalValue().toPlainString())
        .isEqualTo("0.1000000000000000055511151231257827021181583404541015625");
  }

  @Test
  void preciseAsStringsKeepsDecimalsAndLongsAsStrings() throws Exception {
    assertThat(FX.readAsJson("values", """
        <t:values xmlns:t='urn:test'><t:i>42</t:i><t:l>9223372036854775807</t:l>
          <t:integer>123456789012345678901234567890</t:integer><t:d>0.10</t:d><t:dbl>2.5</t:dbl></t:values>""",
        true))
        .isEqualTo("{\"i\":42,\"l\":\"9223372036854775807\",\"integer\":\"123456789012345678901234567890\","
            + "\"d\":\"0.10\",\"dbl\":2.5}");
  }

  @Test
  void booleansAcceptBothLexicalForms() throws Exception {
    assertThat(FX.read("values", "<t:values xmlns:t='urn:test'><t:flag>1</t:flag></t:values>").get("flag").asBoolean())
        .isTrue();
    assertThat(FX.read("values", "<t:values xmlns:t='urn:test'><t:flag>false</t:flag></t:values>").get("flag")
        .isBoolean()).isTrue();
  }

  @Test
  void specialDoublesBecomeStrings() throws Exception {
    assertThat(FX.readAsJson("values", "<t:values xmlns:t='urn:test'><t:dbl>INF</t:dbl><t:f>NaN</t:f></t:values>"))
        .isEqualTo("{\"dbl\":\"Infinity\",\"f\":\"NaN\"}");
  }

  @Test
  void textKindsStayStringsWithEntitiesResolved() throws Exception {
    assertThat(FX.readAsJson("values", """
        <t:values xmlns:t='urn:test'><t:text>&lt;a&gt; &amp; b</t:text><t:day>2024-02-29</t:day>
          <t:color>RED</t:color><t:blob>SGk=</t:blob></t:values>"""))
        .isEqualTo("{\"text\":\"<a> & b\",\"day\":\"2024-02-29\",\"color\":\"RED\",\"blob\":\"SGk=\"}");
  }

  @Test
  void listTypeBecomesAnArray() throws Exception {
    assertThat(FX.readAsJson("values", """
        <t:values xmlns:t='urn:test'><t:numbers> 1  2
          3 </t:numbers><t:colors>RED</t:colors></t:values>"""))
        .isEqualTo("{\"numbers\":[1,2,3],\"colors\":[\"RED\"]}");
  }

  @Test
  void simpleContentBecomesValueWithAttributes() throws Exception {
    assertThat(FX.readAsJson("values",
        "<t:values xmlns:t='urn:test'><t:amount currency='EUR'>12.50</t:amount></t:values>"))
        .isEqualTo("{\"amount\":{\"currency\":\"EUR\",\"value\":12.50}}");
  }

  @Test
  void xsiNilBecomesNull() throws Exception {
    assertThat(FX.readAsJson("order", order("<t:note xsi:nil='true'/>")))
        .isEqualTo("{\"version\":1,\"id\":1,\"customer\":\"Ann\",\"note\":null,\"line\":[],\"tag\":[]}");
  }

  @Test
  void xsiNilOnAComplexElementBecomesNull() throws Exception {
    assertThat(FX.read("tree", "<t:tree" + T + "><t:label>a</t:label><t:child xsi:nil='1'><t:label>x</t:label>"
        + "</t:child></t:tree>").get("child").isNull()).isTrue();
  }

  @Test
  void xsiTypeBecomesAtTypeWithTheSubtypesMembers() throws Exception {
    assertThat(FX.readAsJson("drawing", """
        <t:drawing xmlns:t='urn:test' xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' xmlns:q='urn:test'>
          <t:shape xsi:type='q:Circle'><t:name>c</t:name><t:radius>1.5</t:radius></t:shape>
          <t:shape xsi:type='t:Square' rotated='true'><t:name>s</t:name><t:side>2</t:side></t:shape>
        </t:drawing>"""))
        .isEqualTo("{\"shape\":[{\"@type\":\"Circle\",\"name\":\"c\",\"radius\":1.5},"
            + "{\"@type\":\"Square\",\"rotated\":true,\"name\":\"s\",\"side\":2.0}]}");
  }

  @Test
  void xsiTypeWithDefaultNamespaceIsResolved() throws Exception {
    assertThat(FX.readAsJson("drawing", """
        <drawing xmlns='urn:test' xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'>
          <pet xsi:type='Dog'><name>Rex</name><breed>pug</breed></pet>
        </drawing>"""))
        .isEqualTo("{\"shape\":[],\"pet\":{\"@type\":\"Dog\",\"name\":\"Rex\",\"breed\":\"pug\"}}");
  }

  @Test
  void unknownElementsAreSkippedWithEverythingInside() throws Exception {
    assertThat(FX.readAsJson("order", order("<t:extra><t:id>99</t:id><deep><t:tag>no</t:tag></deep></t:extra>"
        + "<other xmlns='urn:other'>x</other><t:tag>yes</t:tag>")))
        .isEqualTo("{\"version\":1,\"id\":1,\"customer\":\"Ann\",\"line\":[],\"tag\":[\"yes\"]}");
  }

  @Test
  void elementInTheWrongNamespaceIsNotTakenForAKnownOne() throws Exception {
    JsonNode n = FX.read("order", order("<note xmlns='urn:other'>x</note>"));

    assertThat(n.has("note")).isFalse();
  }

  @Test
  void invalidNumberIsAnInvalidReplyNamingThePointer() {
    assertThatThrownBy(() -> FX.read("order", "<t:order" + T + " version='1'><t:id>abc</t:id></t:order>"))
        .isInstanceOf(XmlToJson.InvalidReplyException.class)
        .hasMessage("the backend's reply has 'abc' at /id where xs:int (a whole number from -2147483648 to "
            + "2147483647) is expected");
  }

  @Test
  void invalidAttributeIsAnInvalidReplyNamingThePointer() {
    assertThatThrownBy(() -> FX.read("order", "<t:order" + T + " version='v1'><t:id>1</t:id></t:order>"))
        .isInstanceOf(XmlToJson.InvalidReplyException.class)
        .hasMessageContaining("'v1' at /version where xs:int");
  }

  @Test
  void invalidValueNestedInAnObjectNamesTheFullPointer() {
    assertThatThrownBy(() -> FX.read("values",
        "<t:values xmlns:t='urn:test'><t:amount currency='EUR'>ten</t:amount></t:values>"))
        .isInstanceOf(XmlToJson.InvalidReplyException.class)
        .hasMessageContaining("'ten' at /amount/value where xs:decimal");
  }

  @Test
  void invalidValueInsideAnArrayItemNamesTheIndexInThePointer() {
    assertThatThrownBy(() -> FX.read("order", order("""
        <t:line><t:sku>A</t:sku><t:qty>1</t:qty></t:line>
        <t:line><t:sku>B</t:sku><t:qty>two</t:qty></t:line>""")))
        .isInstanceOf(XmlToJson.InvalidReplyException.class)
        .hasMessageContaining("'two' at /line/1/qty where xs:int");
  }

  @Test
  void invalidBooleanAndDecimalAreInvalidReplies() {
    assertThatThrownBy(() -> FX.read("values", "<t:values xmlns:t='urn:test'><t:flag>yes</t:flag></t:values>"))
        .isInstanceOf(XmlToJson.InvalidReplyException.class).hasMessageContaining("at /flag");
    assertThatThrownBy(() -> FX.read("values", "<t:values xmlns:t='urn:test'><t:d>1e3</t:d></t:values>"))
        .isInstanceOf(XmlToJson.InvalidReplyException.class).hasMessageContaining("at /d");
    assertThatThrownBy(() -> FX.read("values", "<t:values xmlns:t='urn:test'><t:numbers>1 x</t:numbers></t:values>"))
        .isInstanceOf(XmlToJson.InvalidReplyException.class).hasMessageContaining("'x' at /numbers");
  }

  @Test
  void intOutOfRangeIsAnInvalidReply() {
    assertThatThrownBy(() -> FX.read("values", "<t:values xmlns:t='urn:test'><t:i>2147483648</t:i></t:values>"))
        .isInstanceOf(XmlToJson.InvalidReplyException.class).hasMessageContaining("at /i");
  }

  @Test
  void valueOutsideTheRangeOfASmallIntegerTypeIsAnInvalidReply() {
    assertThatThrownBy(() -> FX.read("values", "<t:values xmlns:t='urn:test'><t:b>300</t:b></t:values>"))
        .isInstanceOf(XmlToJson.InvalidReplyException.class).hasMessageContaining("'300' at /b");
  }

  @Test
  void longInvalidValueIsShortenedInTheMessage() {
    String long50 = "x".repeat(50);
    assertThatThrownBy(() -> FX.read("values", "<t:values xmlns:t='urn:test'><t:i>" + long50 + "</t:i></t:values>"))
        .hasMessageContaining("'" + "x".repeat(40) + "…'");
  }

  private static String nested(int levels) {
    StringBuilder sb = new StringBuilder("<t:tree xmlns:t='urn:test'><t:label>0</t:label>");
    for (int i = 1; i < levels; i++) {
      sb.append("<t:child><t:label>").append(i).append("</t:label>");
    }
    sb.append("</t:child>".repeat(levels - 1)).append("</t:tree>");
    return sb.toString();
  }

  @Test
  void nestingWithinTheDepthLimitIsRead() throws Exception {
    JsonNode n = FX.read("tree", nested(5), false, 10);

    assertThat(n.at("/child/child/child/child/label").textValue()).isEqualTo("4");
  }

  @Test
  void nestingBeyondTheDepthLimitIsRefused() {
    assertThatThrownBy(() -> FX.read("tree", nested(50), false, 10))
        .isInstanceOf(XmlToJson.InvalidReplyException.class)
        .hasMessage("the reply nests elements deeper than 10 levels");
  }

  @Test
  void anyTypeElementWithChildElementsDoesNotBreakTheReply() {
    SchemaFixture fx = SchemaFixture.qualified("""
        <xs:element name='envelope'>
          <xs:complexType>
            <xs:sequence>
              <xs:element name='id' type='xs:int'/>
              <xs:element name='extension' type='xs:anyType' minOccurs='0'/>
            </xs:sequence>
          </xs:complexType>
        </xs:element>
        """);

    org.assertj.core.api.Assertions.assertThatCode(() -> fx.read("envelope",
            "<t:envelope xmlns:t='urn:test'><t:id>1</t:id><t:extension><t:a>1</t:a></t:extension></t:envelope>"))
        .doesNotThrowAnyException();
  }

  @Test
  void anyTypeElementWithTextIsAString() throws Exception {
    SchemaFixture fx = SchemaFixture.qualified("<xs:element name='free' type='xs:anyType'/>");

    assertThat(fx.readAsJson("free", "<t:free xmlns:t='urn:test'>42</t:free>")).isEqualTo("\"42\"");
  }

  @Test
  void pointerEscapesSlashAndTilde() {
    assertThat(XmlToJson.pointer(java.util.List.of("a/b", "c~d"))).isEqualTo("/a~1b/c~0d");
    assertThat(XmlToJson.pointer(java.util.List.of())).isEqualTo("/");
  }
}
