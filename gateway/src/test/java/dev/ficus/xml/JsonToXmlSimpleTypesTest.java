package dev.ficus.xml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.xml.SchemaFixture.Written;
import java.io.StringReader;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/** Every simple kind's check on the way from JSON to XML, on {@code <values>}'s optional members. */
class JsonToXmlSimpleTypesTest {
  private static final SchemaFixture FX = TestSchemas.qualified();

  /** Writes {@code {"member": json}} and returns the element's text; fails on any error. */
  private static String written(String member, String json) throws Exception {
    Written w = FX.write("values", "{\"" + member + "\": " + json + "}");
    assertThat(w.errors()).as("errors for %s = %s", member, json).isEmpty();
    DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
    f.setNamespaceAware(true);
    Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(w.xml())));
    assertThat(doc.getElementsByTagNameNS(SchemaFixture.TNS, member).getLength()).isEqualTo(1);
    return doc.getElementsByTagNameNS(SchemaFixture.TNS, member).item(0).getTextContent();
  }

  /** Writes {@code {"member": json}} and returns the single error as "pointer: detail". */
  private static String rejected(String member, String json) {
    return FX.write("values", "{\"" + member + "\": " + json + "}").error();
  }

  @ParameterizedTest(name = "{0} = {1} is written as {2}")
  @CsvSource(delimiter = '|', textBlock = """
      i       | 2147483647                | 2147483647
      i       | -2147483648               | -2147483648
      l       | 9223372036854775807       | 9223372036854775807
      l       | "9223372036854775807"     | 9223372036854775807
      l       | "-42"                     | -42
      s       | 32767                     | 32767
      b       | -128                      | -128
      ui      | 4294967295                | 4294967295
      ul      | 18446744073709551615      | 18446744073709551615
      ul      | "18446744073709551615"    | 18446744073709551615
      pi      | 1                         | 1
      integer | 123456789012345678901234567890 | 123456789012345678901234567890
      integer | "-123456789012345678901234567890" | -123456789012345678901234567890
      flag    | true                      | true
      flag    | false                     | false
      dbl     | 0.1                       | 0.1
      dbl     | 3                         | 3
      dbl     | "NaN"                     | NaN
      dbl     | "Infinity"                | INF
      dbl     | "-INF"                    | -INF
      f       | 1.25                      | 1.25
      text    | "plain"                   | plain
      """)
  void validValuesAreWrittenInTheirXmlForm(String member, String json, String xml) throws Exception {
    assertThat(written(member, json)).isEqualTo(xml);
  }

  @ParameterizedTest(name = "{0} = {1} is rejected")
  @CsvSource(delimiter = '|', textBlock = """
      i       | 2147483648
      i       | -2147483649
      i       | "5"
      i       | 5.5
      i       | true
      l       | 9223372036854775808
      l       | "9223372036854775808"
      l       | "12abc"
      s       | 32768
      b       | 128
      ui      | -1
      ul      | 18446744073709551616
      ul      | -1
      pi      | 0
      flag    | "true"
      flag    | 1
      dbl     | "abc"
      dbl     | false
      text    | 5
      text    | {}
      """)
  void invalidValuesAreRejectedNamingTheMember(String member, String json) {
    assertThat(rejected(member, json)).startsWith("/" + member + ": expected ");
  }

  @Test
  void intOutOfRangeMessageNamesTheRange() {
    assertThat(rejected("i", "2147483648")).isEqualTo(
        "/i: expected xs:int (a whole number from -2147483648 to 2147483647), got the number 2147483648");
  }

  @Test
  void decimalKeepsEveryDigitOfTheJsonNumber() throws Exception {
    assertThat(written("d", "0.1000000000000000055511151231257827021181583404541015625"))
        .isEqualTo("0.1000000000000000055511151231257827021181583404541015625");
    assertThat(written("d", "12345678901234567890.12345678901234567890"))
        .isEqualTo("12345678901234567890.12345678901234567890");
    assertThat(written("d", "0.30000000000000000001")).isEqualTo("0.30000000000000000001");
  }

  @Test
  void decimalKeepsTrailingZerosAndWritesNoExponent() throws Exception {
    assertThat(written("d", "12.50")).isEqualTo("12.50");
    assertThat(written("d", "1E+3")).isEqualTo("1000");
    assertThat(written("d", "-0.000001")).isEqualTo("-0.000001");
  }

  @Test
  void decimalMayBeGivenAsAString() throws Exception {
    assertThat(written("d", "\"0.1000000000000000000000001\"")).isEqualTo("0.1000000000000000000000001");
    assertThat(written("d", "\"+7.5\"")).isEqualTo("7.5");
  }

  @Test
  void decimalRejectsWhatIsNotADecimal() {
    assertThat(rejected("d", "\"1e5\"")).startsWith("/d: expected xs:decimal (a decimal number)");
    assertThat(rejected("d", "\"abc\"")).startsWith("/d: expected xs:decimal");
    assertThat(rejected("d", "true")).startsWith("/d: expected xs:decimal");
  }

  @ParameterizedTest(name = "{0} = {1} is accepted")
  @CsvSource(delimiter = '|', textBlock = """
      day    | 2024-02-29
      day    | 2024-02-29Z
      day    | 2024-02-29+05:30
      day    | -0044-03-15
      moment | 2024-02-29T10:15:30
      moment | 2024-02-29T10:15:30Z
      moment | 2024-02-29T10:15:30.123456-08:00
      clock  | 23:59:59
      clock  | 10:15:30.5Z
      span   | P1Y2M3DT4H5M6.5S
      span   | PT0S
      span   | -P1D
      span   | P2M
      span   | PT36H
      blob   | SGVsbG8gV29ybGQ=
      blob   | ''
      hex    | CAFEbabe
      hex    | ''
      color  | RED
      """)
  void lexicallyValidStringsAreWrittenUnchanged(String member, String value) throws Exception {
    assertThat(written(member, "\"" + value + "\"")).isEqualTo(value);
  }

  @ParameterizedTest(name = "{0} = {1} is rejected")
  @CsvSource(delimiter = '|', textBlock = """
      day    | 2024-2-29
      day    | 29.02.2024
      day    | 2024-02-29T10:00:00
      day    | today
      moment | 2024-02-29 10:15:30
      moment | 2024-02-29
      moment | 2024-02-29T10:15
      clock  | 10:15
      clock  | 10h15
      span   | P
      span   | PT
      span   | P1.5D
      span   | 1 day
      span   | P1H
      blob   | not base64!
      hex    | CAF
      hex    | GG
      color  | PURPLE
      color  | red
      """)
  void lexicallyInvalidStringsAreRejected(String member, String value) {
    assertThat(rejected(member, "\"" + value + "\"")).startsWith("/" + member + ": expected ");
  }

  @Test
  void dateWithMonthThirteenIsRejected() {
    assertThat(rejected("day", "\"2024-13-01\"")).startsWith("/day: expected ");
  }

  @Test
  void dateTimeWithHourTwentyFiveIsRejected() {
    assertThat(rejected("moment", "\"2024-01-01T25:00:00Z\"")).startsWith("/moment: expected ");
  }

  @Test
  void base64WithoutPaddingToAMultipleOfFourIsRejected() {
    assertThat(rejected("blob", "\"SGVsbG8\"")).startsWith("/blob: expected ");
  }

  @Test
  void dateGivenAsANumberIsRejected() {
    assertThat(rejected("day", "20240229")).isEqualTo("/day: expected xs:date (a string in XML Schema date form), "
        + "got the number 20240229");
  }

  @Test
  void enumerationErrorListsTheAllowedValues() {
    assertThat(rejected("color", "\"PURPLE\"")).isEqualTo("/color: expected one of [BLUE, GREEN, RED], got 'PURPLE'");
  }

  @Test
  void listTypeIsAJsonArrayWrittenSpaceSeparated() throws Exception {
    assertThat(written("numbers", "[1, -2, 3]")).isEqualTo("1 -2 3");
    assertThat(written("colors", "[\"RED\", \"BLUE\"]")).isEqualTo("RED BLUE");
    assertThat(written("numbers", "[]")).isEmpty();
  }

  @Test
  void listTypeGivenAsAStringIsRejected() {
    assertThat(rejected("numbers", "\"1 2 3\"")).startsWith("/numbers: expected an array (a list of xs:int");
  }

  @Test
  void badListItemIsReportedWithItsIndex() {
    assertThat(rejected("numbers", "[1, \"x\"]")).startsWith("/numbers/1: expected xs:int");
    assertThat(rejected("numbers", "[1, 2147483648]")).startsWith("/numbers/1: expected xs:int");
    assertThat(rejected("colors", "[\"RED\", \"PINK\"]")).isEqualTo(
        "/colors/1: expected one of [BLUE, GREEN, RED], got 'PINK'");
  }
}
