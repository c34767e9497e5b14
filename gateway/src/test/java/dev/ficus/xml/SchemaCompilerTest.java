package dev.ficus.xml;

import static dev.ficus.xml.SchemaFixture.wrapped;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;

class SchemaCompilerTest {
  private static final SchemaFixture FX = SchemaFixture.qualified("""
      <xs:attributeGroup name='audit'>
        <xs:attribute name='createdBy' type='xs:string'/>
        <xs:attribute name='rev' type='xs:int' use='required'/>
      </xs:attributeGroup>
      <xs:group name='names'>
        <xs:sequence>
          <xs:element name='first' type='xs:string'/>
          <xs:element name='last' type='xs:string'/>
        </xs:sequence>
      </xs:group>
      <xs:complexType name='Person'>
        <xs:sequence>
          <xs:group ref='t:names'/>
          <xs:element name='age' type='xs:int' minOccurs='0'/>
        </xs:sequence>
        <xs:attributeGroup ref='t:audit'/>
      </xs:complexType>
      <xs:element name='person' type='t:Person'/>
      <xs:element name='bag'>
        <xs:complexType>
          <xs:all>
            <xs:element name='x' type='xs:int'/>
            <xs:element name='y' type='xs:int' minOccurs='0'/>
          </xs:all>
        </xs:complexType>
      </xs:element>
      <xs:complexType name='Base'>
        <xs:sequence>
          <xs:element name='a' type='xs:string' minOccurs='0'/>
          <xs:element name='b' type='xs:string' minOccurs='0'/>
        </xs:sequence>
        <xs:attribute name='id' type='xs:string'/>
      </xs:complexType>
      <xs:complexType name='Narrow'>
        <xs:complexContent>
          <xs:restriction base='t:Base'>
            <xs:sequence><xs:element name='a' type='xs:string'/></xs:sequence>
          </xs:restriction>
        </xs:complexContent>
      </xs:complexType>
      <xs:element name='narrow' type='t:Narrow'/>
      <xs:simpleType name='Code'>
        <xs:restriction base='xs:int'><xs:enumeration value='1'/><xs:enumeration value='2'/></xs:restriction>
      </xs:simpleType>
      <xs:simpleType name='ShortText'>
        <xs:restriction base='xs:string'><xs:maxLength value='3'/></xs:restriction>
      </xs:simpleType>
      <xs:element name='misc'>
        <xs:complexType>
          <xs:sequence>
            <xs:element name='code' type='t:Code' minOccurs='0'/>
            <xs:element name='short' type='t:ShortText' minOccurs='0'/>
            <xs:element ref='t:person' minOccurs='0' maxOccurs='unbounded'/>
            <xs:any namespace='##other' processContents='lax' minOccurs='0'/>
          </xs:sequence>
        </xs:complexType>
      </xs:element>
      <xs:element name='clash'>
        <xs:complexType>
          <xs:sequence><xs:element name='id' type='xs:string'/></xs:sequence>
          <xs:attribute name='id' type='xs:string'/>
        </xs:complexType>
      </xs:element>
      <xs:complexType name='Node'>
        <xs:sequence><xs:element name='next' type='t:Node' minOccurs='0'/></xs:sequence>
      </xs:complexType>
      <xs:element name='chain' type='t:Node'/>
      """);

  private static List<String> names(XsdComplexType t) {
    return t.fields().stream().map(JsonField::jsonName).toList();
  }

  @Test
  void jsonViewListsAttributesFirstThenElementsInContentOrder() {
    XsdComplexType person = FX.element("person").complexType();

    assertThat(names(person)).containsExactly("createdBy", "rev", "first", "last", "age");
    assertThat(person.field("rev").required()).isTrue();
    assertThat(person.field("createdBy").required()).isFalse();
    assertThat(person.field("first").required()).isTrue();
    assertThat(person.field("age").required()).isFalse();
  }

  @Test
  void modelGroupAndAttributeGroupAreWrittenInPlace() {
    FX.write("person", "{\"age\": 3, \"last\": \"L\", \"rev\": 2, \"first\": \"F\"}")
        .isSimilarTo(wrapped("<t:person rev='2'><t:first>F</t:first><t:last>L</t:last><t:age>3</t:age></t:person>"));
  }

  @Test
  void allGroupMembersAreFieldsWithTheirOwnOccurrence() {
    XsdComplexType bag = FX.element("bag").complexType();

    assertThat(bag.field("x").required()).isTrue();
    assertThat(bag.field("y").required()).isFalse();
    assertThat(FX.write("bag", "{\"y\": 2}").error()).startsWith("/x: is required");
  }

  @Test
  void restrictionKeepsOnlyItsOwnContent() {
    XsdComplexType narrow = FX.element("narrow").complexType();

    assertThat(narrow.field("b")).isNull();
    assertThat(narrow.field("a").required()).isTrue();
    assertThat(narrow.base().displayName()).isEqualTo("Base");
  }

  @Test
  void restrictionInheritsTheBaseAttributes() {
    XsdComplexType narrow = FX.element("narrow").complexType();

    assertThat(narrow.field("id")).as("attribute 'id' of Base, not prohibited by Narrow").isNotNull();
  }

  @Test
  void enumerationOfANumericTypeChecksTheValue() {
    FX.write("misc", "{\"code\": 2}").isSimilarTo(wrapped("<t:misc><t:code>2</t:code></t:misc>"));
    assertThat(FX.write("misc", "{\"code\": 3}").error()).isEqualTo("/code: expected one of [1, 2], got '3'");
  }

  @Test
  void elementReferenceUsesTheGlobalElementsNameAndType() {
    JsonField person = FX.element("misc").complexType().field("person");

    assertThat(person.xmlName()).isEqualTo(new QName(SchemaFixture.TNS, "person"));
    assertThat(person.array()).isTrue();
    assertThat(person.element().complexType().displayName()).isEqualTo("Person");
  }

  @Test
  void wildcardContentAddsNoField() {
    assertThat(names(FX.element("misc").complexType())).containsExactly("code", "short", "person");
  }

  @Test
  void attributeAndElementOfTheSameNameIsACollision() {
    assertThat(FX.element("clash").complexType().collisions())
        .containsExactly("'id' is both attribute id and element {urn:test}id");
  }

  @Test
  void recursiveTypeIsCompiledOnce() {
    XsdComplexType node = FX.element("chain").complexType();

    assertThat(node.field("next").element().complexType()).isSameAs(node);
  }

  @Test
  void globalElementNamesAreListedForSuggestions() {
    assertThat(FX.compiler.globalElementNames()).contains("person", "bag", "misc", "chain");
    assertThat(FX.compiler.globalElement(new QName(SchemaFixture.TNS, "nobody"))).isNull();
  }

  @Test
  void unknownTypeIsAProblemAndFallsBackToString() {
    SchemaFixture broken = SchemaFixture.qualified("<xs:element name='e' type='t:Missing'/>");

    XsdElement e = broken.compiler.globalElement(new QName(SchemaFixture.TNS, "e"));

    assertThat(e.simpleType().kind()).isEqualTo(SimpleKind.STRING);
    assertThat(broken.compiler.problems()).containsExactly("element {urn:test}e has unknown type {urn:test}Missing");
  }
}
