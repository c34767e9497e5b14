package dev.ficus.xml;

/** XSD fragments shared by the xml tests (declarations inside one {@code xs:schema}). */
final class TestSchemas {
  private TestSchemas() {}

  static final String TYPES = """
      <xs:simpleType name='Color'>
        <xs:restriction base='xs:string'>
          <xs:enumeration value='RED'/><xs:enumeration value='GREEN'/><xs:enumeration value='BLUE'/>
        </xs:restriction>
      </xs:simpleType>
      <xs:simpleType name='IntList'><xs:list itemType='xs:int'/></xs:simpleType>
      <xs:simpleType name='ColorList'><xs:list itemType='t:Color'/></xs:simpleType>
      <xs:complexType name='Amount'>
        <xs:simpleContent>
          <xs:extension base='xs:decimal'>
            <xs:attribute name='currency' type='xs:string' use='required'/>
          </xs:extension>
        </xs:simpleContent>
      </xs:complexType>
      <xs:complexType name='Shape' abstract='true'>
        <xs:sequence><xs:element name='name' type='xs:string'/></xs:sequence>
      </xs:complexType>
      <xs:complexType name='Circle'>
        <xs:complexContent>
          <xs:extension base='t:Shape'>
            <xs:sequence><xs:element name='radius' type='xs:double'/></xs:sequence>
          </xs:extension>
        </xs:complexContent>
      </xs:complexType>
      <xs:complexType name='Square'>
        <xs:complexContent>
          <xs:extension base='t:Shape'>
            <xs:sequence><xs:element name='side' type='xs:double'/></xs:sequence>
            <xs:attribute name='rotated' type='xs:boolean'/>
          </xs:extension>
        </xs:complexContent>
      </xs:complexType>
      <xs:complexType name='Pet'>
        <xs:sequence><xs:element name='name' type='xs:string'/></xs:sequence>
      </xs:complexType>
      <xs:complexType name='Dog'>
        <xs:complexContent>
          <xs:extension base='t:Pet'>
            <xs:sequence><xs:element name='breed' type='xs:string'/></xs:sequence>
          </xs:extension>
        </xs:complexContent>
      </xs:complexType>
      <xs:complexType name='Node'>
        <xs:sequence>
          <xs:element name='label' type='xs:string'/>
          <xs:element name='child' type='t:Node' minOccurs='0'/>
        </xs:sequence>
      </xs:complexType>
      """;

  static final String ELEMENTS = """
      <xs:element name='order'>
        <xs:complexType>
          <xs:sequence>
            <xs:element name='id' type='xs:int'/>
            <xs:element name='customer' type='xs:string'/>
            <xs:element name='note' type='xs:string' nillable='true' minOccurs='0'/>
            <xs:element name='comment' type='xs:string' minOccurs='0'/>
            <xs:element name='line' minOccurs='0' maxOccurs='unbounded'>
              <xs:complexType>
                <xs:sequence>
                  <xs:element name='sku' type='xs:string'/>
                  <xs:element name='qty' type='xs:int'/>
                </xs:sequence>
                <xs:attribute name='gift' type='xs:boolean'/>
              </xs:complexType>
            </xs:element>
            <xs:element name='tag' type='xs:string' minOccurs='0' maxOccurs='unbounded'/>
          </xs:sequence>
          <xs:attribute name='version' type='xs:int' use='required'/>
          <xs:attribute name='channel' type='xs:string'/>
        </xs:complexType>
      </xs:element>
      <xs:element name='bounded'>
        <xs:complexType>
          <xs:sequence><xs:element name='item' type='xs:string' minOccurs='2' maxOccurs='3'/></xs:sequence>
        </xs:complexType>
      </xs:element>
      <xs:element name='values'>
        <xs:complexType>
          <xs:sequence>
            <xs:element name='text' type='xs:string' minOccurs='0'/>
            <xs:element name='i' type='xs:int' minOccurs='0'/>
            <xs:element name='l' type='xs:long' minOccurs='0'/>
            <xs:element name='s' type='xs:short' minOccurs='0'/>
            <xs:element name='b' type='xs:byte' minOccurs='0'/>
            <xs:element name='ui' type='xs:unsignedInt' minOccurs='0'/>
            <xs:element name='ul' type='xs:unsignedLong' minOccurs='0'/>
            <xs:element name='pi' type='xs:positiveInteger' minOccurs='0'/>
            <xs:element name='integer' type='xs:integer' minOccurs='0'/>
            <xs:element name='d' type='xs:decimal' minOccurs='0'/>
            <xs:element name='dbl' type='xs:double' minOccurs='0'/>
            <xs:element name='f' type='xs:float' minOccurs='0'/>
            <xs:element name='flag' type='xs:boolean' minOccurs='0'/>
            <xs:element name='day' type='xs:date' minOccurs='0'/>
            <xs:element name='moment' type='xs:dateTime' minOccurs='0'/>
            <xs:element name='clock' type='xs:time' minOccurs='0'/>
            <xs:element name='span' type='xs:duration' minOccurs='0'/>
            <xs:element name='blob' type='xs:base64Binary' minOccurs='0'/>
            <xs:element name='hex' type='xs:hexBinary' minOccurs='0'/>
            <xs:element name='color' type='t:Color' minOccurs='0'/>
            <xs:element name='numbers' type='t:IntList' minOccurs='0'/>
            <xs:element name='colors' type='t:ColorList' minOccurs='0'/>
            <xs:element name='amount' type='t:Amount' minOccurs='0'/>
          </xs:sequence>
        </xs:complexType>
      </xs:element>
      <xs:element name='contact'>
        <xs:complexType>
          <xs:sequence>
            <xs:element name='name' type='xs:string'/>
            <xs:choice>
              <xs:element name='email' type='xs:string'/>
              <xs:element name='phone' type='xs:string'/>
            </xs:choice>
            <xs:choice minOccurs='0'>
              <xs:element name='fax' type='xs:string'/>
              <xs:element name='pager' type='xs:string'/>
            </xs:choice>
          </xs:sequence>
        </xs:complexType>
      </xs:element>
      <xs:element name='drawing'>
        <xs:complexType>
          <xs:sequence>
            <xs:element name='shape' type='t:Shape' minOccurs='0' maxOccurs='unbounded'/>
            <xs:element name='pet' type='t:Pet' minOccurs='0'/>
          </xs:sequence>
        </xs:complexType>
      </xs:element>
      <xs:element name='tree' type='t:Node'/>
      """;

  private static final class Holder {
    static final SchemaFixture QUALIFIED = SchemaFixture.qualified(TYPES + ELEMENTS);
  }

  /** The schema of {@link #TYPES} and {@link #ELEMENTS}, compiled once per test JVM (read-only after). */
  static SchemaFixture qualified() {
    return Holder.QUALIFIED;
  }
}
