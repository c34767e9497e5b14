package dev.ficus.xml;

import static dev.ficus.xml.SchemaFixture.wrapped;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.xml.SchemaFixture.Written;
import org.junit.jupiter.api.Test;

class JsonToXmlTest {
  private static final SchemaFixture FX = TestSchemas.qualified();

  @Test
  void elementOrderFollowsTheSequenceWhateverTheJsonOrder() {
    Written w = FX.write("order", """
        {"tag": ["x", "y"], "line": [{"qty": 2, "sku": "A-1"}], "customer": "Ann", "version": 3, "id": 7}
        """);

    w.isSimilarTo(wrapped("""
        <t:order version='3'>
          <t:id>7</t:id>
          <t:customer>Ann</t:customer>
          <t:line><t:sku>A-1</t:sku><t:qty>2</t:qty></t:line>
          <t:tag>x</t:tag><t:tag>y</t:tag>
        </t:order>"""));
    assertThat(w.xml()).containsSubsequence(":id>", ":customer>", ":line>", ":sku>", ":qty>", ":tag>x<", ":tag>y<");
  }

  @Test
  void qualifiedSchemaPutsEveryElementInTheTargetNamespace() {
    Written w = FX.write("tree", """
        {"label": "root", "child": {"label": "leaf"}}""");

    w.isSimilarTo("""
        <w xmlns:x='urn:test'><x:tree><x:label>root</x:label><x:child><x:label>leaf</x:label></x:child></x:tree></w>""");
  }

  @Test
  void unqualifiedSchemaLeavesLocalElementsWithoutNamespace() {
    SchemaFixture fx = SchemaFixture.unqualified("""
        <xs:element name='person'>
          <xs:complexType>
            <xs:sequence>
              <xs:element name='name' type='xs:string'/>
              <xs:element name='home'>
                <xs:complexType><xs:sequence><xs:element name='city' type='xs:string'/></xs:sequence></xs:complexType>
              </xs:element>
              <xs:element ref='t:badge'/>
            </xs:sequence>
          </xs:complexType>
        </xs:element>
        <xs:element name='badge' type='xs:string'/>
        """);

    Written w = fx.write("person", """
        {"name": "Ann", "home": {"city": "Oslo"}, "badge": "B7"}""");

    w.isSimilarTo(wrapped("""
        <t:person><name>Ann</name><home><city>Oslo</city></home><t:badge>B7</t:badge></t:person>"""));
  }

  @Test
  void elementWithFormUnqualifiedInAQualifiedSchemaHasNoNamespace() {
    SchemaFixture fx = SchemaFixture.qualified("""
        <xs:element name='legacy'>
          <xs:complexType>
            <xs:sequence>
              <xs:element name='code' type='xs:string' form='unqualified'/>
              <xs:element name='name' type='xs:string'/>
            </xs:sequence>
          </xs:complexType>
        </xs:element>
        """);

    fx.write("legacy", "{\"name\": \"n\", \"code\": \"c\"}")
        .isSimilarTo(wrapped("<t:legacy><code>c</code><t:name>n</t:name></t:legacy>"));
  }

  @Test
  void nullForANillableElementBecomesXsiNil() {
    FX.write("order", "{\"version\": 1, \"id\": 1, \"customer\": \"a\", \"note\": null}")
        .isSimilarTo(wrapped("""
            <t:order version='1'><t:id>1</t:id><t:customer>a</t:customer><t:note xsi:nil='true'/></t:order>"""));
  }

  @Test
  void nullForARequiredNonNillableElementIsAnError() {
    Written w = FX.write("order", "{\"version\": 1, \"id\": 1, \"customer\": null}");

    assertThat(w.error()).isEqualTo("/customer: must not be null");
  }

  @Test
  void nullForAnOptionalNonNillableElementLeavesItOut() {
    FX.write("order", "{\"version\": 1, \"id\": 1, \"customer\": \"a\", \"comment\": null}")
        .isSimilarTo(wrapped("<t:order version='1'><t:id>1</t:id><t:customer>a</t:customer></t:order>"));
  }

  @Test
  void missingRequiredElementsAreAllReported() {
    Written w = FX.write("order", "{\"version\": 1}");

    assertThat(w.errors()).extracting(e -> e.pointer() + ": " + e.detail()).containsExactly(
        "/id: is required (xs:int (a whole number from -2147483648 to 2147483647))",
        "/customer: is required (xs:string (a string))");
  }

  @Test
  void emptyArrayWritesNoElement() {
    FX.write("order", "{\"version\": 1, \"id\": 1, \"customer\": \"a\", \"tag\": []}")
        .isSimilarTo(wrapped("<t:order version='1'><t:id>1</t:id><t:customer>a</t:customer></t:order>"));
  }

  @Test
  void arrayOfOneWritesOneElement() {
    FX.write("order", "{\"version\": 1, \"id\": 1, \"customer\": \"a\", \"tag\": [\"only\"]}")
        .isSimilarTo(wrapped("""
            <t:order version='1'><t:id>1</t:id><t:customer>a</t:customer><t:tag>only</t:tag></t:order>"""));
  }

  @Test
  void arrayOfManyWritesOneElementPerItemInOrder() {
    FX.write("order", "{\"version\": 1, \"id\": 1, \"customer\": \"a\", \"tag\": [\"c\", \"a\", \"b\"]}")
        .isSimilarTo(wrapped("""
            <t:order version='1'><t:id>1</t:id><t:customer>a</t:customer>
              <t:tag>c</t:tag><t:tag>a</t:tag><t:tag>b</t:tag></t:order>"""));
  }

  @Test
  void singleValueWhereAnArrayIsExpectedIsAnError() {
    Written w = FX.write("order", "{\"version\": 1, \"id\": 1, \"customer\": \"a\", \"tag\": \"x\"}");

    assertThat(w.error()).isEqualTo("/tag: expected an array of xs:string (a string), got a string");
  }

  @Test
  void tooFewItemsIsAnError() {
    assertThat(FX.write("bounded", "{\"item\": [\"a\"]}").error())
        .isEqualTo("/item: needs at least 2 item(s), got 1");
  }

  @Test
  void tooManyItemsIsAnError() {
    assertThat(FX.write("bounded", "{\"item\": [\"a\", \"b\", \"c\", \"d\"]}").error())
        .isEqualTo("/item: allows at most 3 item(s), got 4");
  }

  @Test
  void itemsWithinBoundsAreWritten() {
    FX.write("bounded", "{\"item\": [\"a\", \"b\", \"c\"]}")
        .isSimilarTo(wrapped("<t:bounded><t:item>a</t:item><t:item>b</t:item><t:item>c</t:item></t:bounded>"));
  }

  @Test
  void missingRequiredArrayIsAnError() {
    assertThat(FX.write("bounded", "{}").error()).startsWith("/item: is required");
  }

  @Test
  void errorsInsideArrayItemsNameTheIndex() {
    Written w = FX.write("order", """
        {"version": 1, "id": 1, "customer": "a", "line": [{"sku": "a", "qty": 1}, {"sku": "b", "qty": "two"}]}""");

    assertThat(w.error()).startsWith("/line/1/qty: expected xs:int");
  }

  @Test
  void requiredAttributeIsWrittenAndOptionalOneLeftOutWhenAbsent() {
    FX.write("order", "{\"version\": 2, \"id\": 1, \"customer\": \"a\"}")
        .isSimilarTo(wrapped("<t:order version='2'><t:id>1</t:id><t:customer>a</t:customer></t:order>"));
  }

  @Test
  void optionalAttributeIsWrittenWhenGiven() {
    FX.write("order", """
        {"version": 2, "channel": "web", "id": 1, "customer": "a", "line": [{"gift": true, "sku": "s", "qty": 1}]}""")
        .isSimilarTo(wrapped("""
            <t:order version='2' channel='web'><t:id>1</t:id><t:customer>a</t:customer>
              <t:line gift='true'><t:sku>s</t:sku><t:qty>1</t:qty></t:line></t:order>"""));
  }

  @Test
  void missingRequiredAttributeIsAnError() {
    assertThat(FX.write("order", "{\"id\": 1, \"customer\": \"a\"}").error())
        .isEqualTo("/version: is required (attribute, xs:int (a whole number from -2147483648 to 2147483647))");
  }

  @Test
  void attributeValueIsCheckedByItsType() {
    assertThat(FX.write("order", "{\"version\": \"v2\", \"id\": 1, \"customer\": \"a\"}").error())
        .startsWith("/version: expected xs:int");
  }

  @Test
  void attributeValuesAreEscapedAndKeepTheirLineBreaks() throws Exception {
    Written w = FX.write("order", """
        {"version": 1, "channel": "a\\"b<c&d\\ne\\tf", "id": 1, "customer": "x"}""");

    assertThat(w.errors()).isEmpty();
    org.w3c.dom.Document doc = javax.xml.parsers.DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
        .parse(new org.xml.sax.InputSource(new java.io.StringReader(w.xml())));
    org.w3c.dom.Element order = (org.w3c.dom.Element) doc.getDocumentElement().getFirstChild();
    assertThat(order.getAttribute("channel")).isEqualTo("a\"b<c&d\ne\tf");
  }

  @Test
  void textIsEscapedAndCarriageReturnsSurvive() throws Exception {
    Written w = FX.write("order", """
        {"version": 1, "id": 1, "customer": "<Tom & \\"Jerry\\">\\r\\n]]>"}""");

    assertThat(w.errors()).isEmpty();
    org.w3c.dom.Document doc = javax.xml.parsers.DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
        .parse(new org.xml.sax.InputSource(new java.io.StringReader(w.xml())));
    assertThat(doc.getDocumentElement().getFirstChild().getChildNodes().item(1).getTextContent())
        .isEqualTo("<Tom & \"Jerry\">\r\n]]>");
  }

  @Test
  void simpleContentTakesItsTextFromValueAndAttributesFromMembers() {
    FX.write("values", "{\"amount\": {\"currency\": \"EUR\", \"value\": 12.50}}")
        .isSimilarTo(wrapped("<t:values><t:amount currency='EUR'>12.50</t:amount></t:values>"));
  }

  @Test
  void simpleContentValueIsCheckedByItsType() {
    assertThat(FX.write("values", "{\"amount\": {\"currency\": \"EUR\", \"value\": \"lots\"}}").error())
        .startsWith("/amount/value: expected xs:decimal");
  }

  @Test
  void simpleContentWithoutItsRequiredAttributeIsAnError() {
    assertThat(FX.write("values", "{\"amount\": {\"value\": 1}}").error())
        .isEqualTo("/amount/currency: is required (attribute, xs:string (a string))");
  }

  @Test
  void oneChoiceBranchIsWrittenInItsPlace() {
    FX.write("contact", "{\"phone\": \"555\", \"name\": \"Ann\"}")
        .isSimilarTo(wrapped("<t:contact><t:name>Ann</t:name><t:phone>555</t:phone></t:contact>"));
  }

  @Test
  void twoBranchesOfAChoiceAreAnError() {
    Written w = FX.write("contact", "{\"name\": \"Ann\", \"email\": \"a@b\", \"phone\": \"555\"}");

    assertThat(w.errors()).singleElement()
        .satisfies(e -> assertThat(e.detail()).isEqualTo("give only one of [email, phone], got [email, phone]"));
  }

  @Test
  void noBranchOfARequiredChoiceIsAnError() {
    Written w = FX.write("contact", "{\"name\": \"Ann\"}");

    assertThat(w.errors()).singleElement()
        .satisfies(e -> assertThat(e.detail()).isEqualTo("one of [email, phone] is required"));
  }

  @Test
  void noBranchOfAnOptionalChoiceIsFine() {
    FX.write("contact", "{\"name\": \"Ann\", \"email\": \"a@b\"}")
        .isSimilarTo(wrapped("<t:contact><t:name>Ann</t:name><t:email>a@b</t:email></t:contact>"));
  }

  @Test
  void twoBranchesOfAnOptionalChoiceAreStillAnError() {
    Written w = FX.write("contact", "{\"name\": \"Ann\", \"email\": \"a@b\", \"fax\": \"1\", \"pager\": \"2\"}");

    assertThat(w.errors()).singleElement()
        .satisfies(e -> assertThat(e.detail()).isEqualTo("give only one of [fax, pager], got [fax, pager]"));
  }

  @Test
  void atTypeSelectsTheSubtypeAndWritesXsiType() {
    FX.write("drawing", """
        {"shape": [
          {"@type": "Circle", "name": "c1", "radius": 1.5},
          {"side": 2, "name": "s1", "@type": "Square", "rotated": false}
        ]}""")
        .isSimilarTo(wrapped("""
            <t:drawing>
              <t:shape xsi:type='t:Circle'><t:name>c1</t:name><t:radius>1.5</t:radius></t:shape>
              <t:shape xsi:type='t:Square' rotated='false'><t:name>s1</t:name><t:side>2</t:side></t:shape>
            </t:drawing>"""));
  }

  @Test
  void abstractTypeWithoutAtTypeIsAnErrorListingTheSubtypes() {
    Written w = FX.write("drawing", "{\"shape\": [{\"name\": \"c1\", \"radius\": 1.5}]}");

    assertThat(w.error()).isEqualTo("/shape/0: Shape is abstract: add \"@type\" with one of [Circle, Square]");
  }

  @Test
  void unknownAtTypeIsAnError() {
    Written w = FX.write("drawing", "{\"shape\": [{\"@type\": \"Triangle\", \"name\": \"t\"}]}");

    assertThat(w.error()).isEqualTo("/shape/0/@type: must be one of [Circle, Square], got 'Triangle'");
  }

  @Test
  void abstractTypeNamedInAtTypeIsAnError() {
    assertThat(FX.write("drawing", "{\"shape\": [{\"@type\": \"Shape\", \"name\": \"t\"}]}").error())
        .startsWith("/shape/0/@type: must be one of [Circle, Square]");
  }

  @Test
  void concreteBaseWithoutAtTypeIsWrittenWithoutXsiType() {
    FX.write("drawing", "{\"pet\": {\"name\": \"Rex\"}}")
        .isSimilarTo(wrapped("<t:drawing><t:pet><t:name>Rex</t:name></t:pet></t:drawing>"));
  }

  @Test
  void subtypeMembersAreUnknownWithoutAtType() {
    assertThat(FX.write("drawing", "{\"pet\": {\"name\": \"Rex\", \"breed\": \"pug\"}}").error())
        .isEqualTo("/pet/breed: unknown field; expected one of: name");
  }

  @Test
  void subtypeOfAConcreteBaseIsWrittenWithXsiType() {
    FX.write("drawing", "{\"pet\": {\"@type\": \"Dog\", \"name\": \"Rex\", \"breed\": \"pug\"}}")
        .isSimilarTo(wrapped(
            "<t:drawing><t:pet xsi:type='t:Dog'><t:name>Rex</t:name><t:breed>pug</t:breed></t:pet></t:drawing>"));
  }

  @Test
  void unknownFieldIsRejectedWithDidYouMean() {
    Written w = FX.write("order", "{\"version\": 1, \"id\": 1, \"customer\": \"a\", \"custmer\": \"b\"}");

    assertThat(w.error()).isEqualTo("/custmer: unknown field; did you mean 'customer'?");
  }

  @Test
  void unknownFieldInsideAnArrayItemNamesTheIndex() {
    Written w = FX.write("order", """
        {"version": 1, "id": 1, "customer": "a", "line": [{"sku": "a", "qty": 1, "price": 3}]}""");

    assertThat(w.errors()).extracting(e -> e.pointer()).containsExactly("/line/0/price");
  }

  @Test
  void unknownFieldNameIsEscapedInThePointer() {
    Written w = FX.write("order", "{\"version\": 1, \"id\": 1, \"customer\": \"a\", \"a/b~c\": 1}");

    assertThat(w.pointers()).containsExactly("/a~1b~0c");
  }

  @Test
  void unknownFieldIsIgnoredWhenThePolicySaysSo() {
    FX.write("order", "{\"version\": 1, \"id\": 1, \"customer\": \"a\", \"custmer\": \"b\"}", false)
        .isSimilarTo(wrapped("<t:order version='1'><t:id>1</t:id><t:customer>a</t:customer></t:order>"));
  }

  @Test
  void allProblemsOfARequestAreCollected() {
    Written w = FX.write("order", """
        {"id": "x", "customer": 5, "tag": "t", "extra": 1}""");

    assertThat(w.pointers()).containsExactlyInAnyOrder("/version", "/id", "/customer", "/tag", "/extra");
  }

  @Test
  void nonObjectForAComplexElementIsAnError() {
    assertThat(FX.write("order", "[1, 2]").error()).isEqualTo(": expected an object ((anonymous type)), got an array");
  }

  @Test
  void controlCharacterIsAnError() {
    assertThat(FX.write("order", "{\"version\": 1, \"id\": 1, \"customer\": \"a\\u0001b\"}").error())
        .isEqualTo("/customer: contains the character U+0001, which XML cannot carry");
  }

  @Test
  void nonCharacterFffeIsAnError() {
    assertThat(FX.write("order", "{\"version\": 1, \"id\": 1, \"customer\": \"a\\uFFFEb\"}").error())
        .isEqualTo("/customer: contains the character U+FFFE, which XML cannot carry");
  }

  @Test
  void controlCharacterInAnAttributeIsAnError() {
    assertThat(FX.write("order", "{\"version\": 1, \"channel\": \"\\u0000\", \"id\": 1, \"customer\": \"a\"}").error())
        .isEqualTo("/channel: contains the character U+0000, which XML cannot carry");
  }

  @Test
  void controlCharacterInSimpleContentNamesTheValueMember() {
    SchemaFixture fx = SchemaFixture.qualified("""
        <xs:complexType name='Label'>
          <xs:simpleContent><xs:extension base='xs:string'><xs:attribute name='lang' type='xs:string'/></xs:extension>
          </xs:simpleContent>
        </xs:complexType>
        <xs:element name='label' type='t:Label'/>
        """);

    assertThat(fx.write("label", "{\"lang\": \"en\", \"value\": \"a\\u0002\"}").error())
        .isEqualTo("/value: contains the character U+0002, which XML cannot carry");
  }

  @Test
  void loneSurrogateIsAnError() {
    Written w = FX.write("order", "{\"version\": 1, \"id\": 1, \"customer\": \"a\\ud800b\"}");

    assertThat(w.pointers()).containsExactly("/customer");
  }

  @Test
  void surrogatePairsAreWrittenUnchanged() {
    FX.write("order", "{\"version\": 1, \"id\": 1, \"customer\": \"\\ud83c\\udf33 ficus\"}")
        .isSimilarTo(wrapped(
            "<t:order version='1'><t:id>1</t:id><t:customer>\uD83C\uDF33 ficus</t:customer></t:order>"));
  }

  @Test
  void aHeadThatBlocksSubstitutionTakesNoMembers() {
    SchemaFixture fx = SchemaFixture.qualified("""
        <xs:element name='note' type='xs:string' block='substitution'/>
        <xs:element name='memo' type='xs:string' substitutionGroup='t:note'/>
        <xs:element name='board'><xs:complexType><xs:sequence>
          <xs:element ref='t:note' minOccurs='0'/>
        </xs:sequence></xs:complexType></xs:element>""");

    assertThat(fx.write("board", "{\"memo\": \"m\"}").error()).startsWith("/memo: unknown field");
    fx.write("board", "{\"note\": \"n\"}").isSimilarTo(wrapped("<t:board><t:note>n</t:note></t:board>"));
  }

  @Test
  void aCycleOfSubstitutionGroupsCompilesAndEndsInTime() {
    SchemaFixture fx = SchemaFixture.qualified("""
        <xs:element name='ping' substitutionGroup='t:pong'/>
        <xs:element name='pong' substitutionGroup='t:ping'/>
        <xs:element name='game'><xs:complexType><xs:sequence>
          <xs:element ref='t:ping' minOccurs='0'/>
        </xs:sequence></xs:complexType></xs:element>""");

    assertThat(fx.write("game", "{\"pong\": \"x\"}").errors()).isEmpty();
  }
}
