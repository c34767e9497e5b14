package dev.ficus.samples.soap;

import static dev.ficus.samples.soap.SoapExchange.envelope11;
import static dev.ficus.samples.soap.SoapExchange.post11;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.samples.soap.SoapExchange.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CalculatorServiceTest {

  private static SoapSamples samples;

  @BeforeAll
  static void start() {
    samples = SoapSamples.start("127.0.0.1", SoapExchange.freePort(), "unused");
  }

  @AfterAll
  static void stop() {
    samples.close();
  }

  private static Reply call(String operation, String body) {
    return post11(samples.calculatorUrl(), "urn:example:calculator:" + operation,
        envelope11("", body));
  }

  @Test
  void addReturnsTheSumInAnUnqualifiedResultPart() {
    Reply reply = call("add", "<calc:add><a>2</a><b>40</b></calc:add>");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.text("/s11:Envelope/s11:Body/calc:addResponse/result")).isEqualTo("42");
  }

  @Test
  void divideReturnsTheQuotient() {
    Reply reply = call("divide", "<calc:divide><dividend>10</dividend><divisor>4</divisor></calc:divide>");

    assertThat(reply.text("/s11:Envelope/s11:Body/calc:divideResponse/quotient")).isEqualTo("2.5");
  }

  @Test
  void divisionByZeroRaisesTheDeclaredFault() {
    Reply reply = call("divide", "<calc:divide><dividend>1</dividend><divisor>0.0</divisor></calc:divide>");

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.text("//s11:Fault/detail/t:divisionByZero/t:message"))
        .isEqualTo("cannot divide 1 by zero");
  }

  @Test
  void statsSummarisesQualifiedValues() {
    Reply reply = call("stats", """
        <calc:stats><values><t:value>1</t:value><t:value>2.5</t:value><t:value>-0.5</t:value></values>
        </calc:stats>""");

    String summary = "/s11:Envelope/s11:Body/calc:statsResponse/summary";
    assertThat(reply.text(summary + "/t:count")).isEqualTo("3");
    assertThat(Double.parseDouble(reply.text(summary + "/t:mean"))).isEqualTo(1.0);
    assertThat(Double.parseDouble(reply.text(summary + "/t:max"))).isEqualTo(2.5);
  }

  @Test
  void qualifiedPartAccessorsAreRejected() {
    Reply reply = call("add", "<calc:add><calc:a>2</calc:a><calc:b>40</calc:b></calc:add>");

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.text("//s11:Fault/faultcode")).endsWith(":Client");
    assertThat(reply.text("//s11:Fault/faultstring")).startsWith("Schema validation failed");
  }

  @Test
  void missingPartIsRejectedAsAClientError() {
    Reply reply = call("add", "<calc:add><a>2</a></calc:add>");

    assertThat(reply.text("//s11:Fault/faultcode")).endsWith(":Client");
  }

  @Test
  void statsWithoutValuesIsRejected() {
    Reply reply = call("stats", "<calc:stats><values/></calc:stats>");

    assertThat(reply.text("//s11:Fault/faultcode")).endsWith(":Client");
  }
}
