package dev.ficus.samples.soap;

import static dev.ficus.samples.soap.SoapExchange.envelope11;
import static dev.ficus.samples.soap.SoapExchange.post11;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.samples.soap.SoapExchange.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EchoServiceTest {

  private static SoapSamples samples;

  @BeforeAll
  static void start() {
    samples = SoapSamples.start("127.0.0.1", SoapExchange.freePort(), "unused");
  }

  @AfterAll
  static void stop() {
    samples.close();
  }

  private static Reply echo(String sample) {
    return post11(samples.echoUrl(), "urn:example:echo:echo", envelope11("", sample));
  }

  @Test
  void everyFeatureOfSampleRoundTrips() {
    Reply reply = echo("""
        <e:echoRequest id="s-1">
          <e:text>h\u00e9llo &amp; &lt;world&gt;</e:text><e:count>-7</e:count>
          <e:big>9223372036854775807</e:big><e:small>-32768</e:small><e:tiny>127</e:tiny>
          <e:unsigned>4294967295</e:unsigned><e:ratio>1.0E-10</e:ratio><e:weight>3.25</e:weight>
          <e:price>19.990</e:price><e:flag>true</e:flag><e:day>2024-02-29</e:day>
          <e:moment>2024-02-29T12:34:56.789+01:00</e:moment><e:clock>23:59:59</e:clock>
          <e:span>P1DT2H30M</e:span><e:blob>AAEC/w==</e:blob><e:hex>00FF10</e:hex>
          <e:color>GREEN</e:color><e:numbers>1 -2 3</e:numbers>
          <e:amount currency="EUR">12.50</e:amount><e:note xsi:nil="true"/>
          <e:phone>+44 20 7946 0000</e:phone>
          <e:shape xsi:type="e:Circle"><e:name>c</e:name><e:radius>1.5</e:radius></e:shape>
          <e:shape xsi:type="e:Rectangle"><e:name>r</e:name><e:width>2</e:width><e:height>3</e:height></e:shape>
          <e:shape><e:name>plain</e:name></e:shape>
          <legacyCode>LC-1</legacyCode>
        </e:echoRequest>""");

    assertThat(reply.status()).isEqualTo(200);
    String sample = "/s11:Envelope/s11:Body/e:echoResponse";
    assertThat(reply.text(sample + "/@id")).isEqualTo("s-1");
    assertThat(reply.text(sample + "/e:text")).isEqualTo("h\u00e9llo & <world>");
    assertThat(reply.text(sample + "/e:big")).isEqualTo("9223372036854775807");
    assertThat(reply.text(sample + "/e:unsigned")).isEqualTo("4294967295");
    assertThat(reply.text(sample + "/e:price")).isEqualTo("19.990");
    assertThat(reply.text(sample + "/e:moment")).isEqualTo("2024-02-29T12:34:56.789+01:00");
    assertThat(reply.text(sample + "/e:span")).isEqualTo("P1DT2H30M");
    assertThat(reply.text(sample + "/e:blob")).isEqualTo("AAEC/w==");
    assertThat(reply.text(sample + "/e:hex")).isEqualTo("00FF10");
    assertThat(reply.text(sample + "/e:numbers")).isEqualTo("1 -2 3");
    assertThat(reply.text(sample + "/e:amount/@currency")).isEqualTo("EUR");
    assertThat(reply.text(sample + "/e:note/@xsi:nil")).isEqualTo("true");
    assertThat(reply.count(sample + "/e:email")).isZero();
    assertThat(reply.text(sample + "/e:phone")).isEqualTo("+44 20 7946 0000");
    assertThat(reply.count(sample + "/e:shape")).isEqualTo(3);
    assertThat(reply.text(sample + "/e:shape[1]/@xsi:type")).endsWith(":Circle");
    assertThat(reply.text(sample + "/e:shape[2]/e:height")).isEqualTo("3.0");
    assertThat(reply.text(sample + "/legacyCode")).isEqualTo("LC-1");
  }

  @Test
  void bothBranchesOfTheChoiceAreRejected() {
    Reply reply = echo("""
        <e:echoRequest><e:text>x</e:text><e:count>1</e:count>
          <e:email>a@example.com</e:email><e:phone>1</e:phone></e:echoRequest>""");

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.text("//s11:Fault/faultcode")).endsWith(":Client");
  }

  @Test
  void qualifiedLegacyCodeIsRejected() {
    Reply reply = echo("""
        <e:echoRequest><e:text>x</e:text><e:count>1</e:count>
          <e:legacyCode>LC-1</e:legacyCode></e:echoRequest>""");

    assertThat(reply.text("//s11:Fault/faultcode")).endsWith(":Client");
  }

  @Test
  void extensionFieldsWithoutXsiTypeAreRejected() {
    Reply reply = echo("""
        <e:echoRequest><e:text>x</e:text><e:count>1</e:count>
          <e:shape><e:name>c</e:name><e:radius>1</e:radius></e:shape></e:echoRequest>""");

    assertThat(reply.text("//s11:Fault/faultcode")).endsWith(":Client");
  }
}
