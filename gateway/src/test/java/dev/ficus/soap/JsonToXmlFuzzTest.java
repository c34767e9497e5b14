package dev.ficus.soap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.error.GatewayException;
import dev.ficus.http.Json;
import dev.ficus.http.NumberBounds;
import dev.ficus.testing.HostileJson;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamReader;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzz of JSON → XML: hostile request bodies for the echo service's Sample (every XSD feature
 * Ficus maps), parsed and written as the SOAP route does. Each input is written or refused with
 * the gateway's own 400 within {@link HostileJson#BOUND}; what is written is well-formed XML
 * whose size stays within the number bounds. Fixed seed and a bounded number of tries: a CI
 * guard, not a search (raise {@code tries} locally to search).
 */
class JsonToXmlFuzzTest {
  private static final List<String> NAMES = List.of("id", "text", "count", "big", "small", "tiny", "unsigned",
      "ratio", "weight", "price", "flag", "day", "moment", "clock", "span", "blob", "hex", "color", "numbers",
      "amount", "value", "currency", "note", "email", "phone", "shape", "@type", "name", "radius", "width",
      "height", "legacyCode", "unknown");
  private static final EnvelopeCodec ECHO = Wsdls.codec(Wsdls.echoOp());
  private static final EnvelopeCodec LENIENT = Wsdls.codec(Wsdls.echoOp(), Map.of(), false, false, 64);
  private static final XMLInputFactory XML = XMLInputFactory.newFactory();

  static {
    // Class loading and the first run are not an input's cost.
    ECHO.request(Json.MAPPER.createObjectNode().put("text", "warm").put("count", 1));
  }

  @Provide
  Arbitrary<String> bodies() {
    Arbitrary<String> shape = HostileJson.objects(List.of("@type", "name", "radius", "width", "height"),
        HostileJson.values(List.of("Circle", "Rectangle"), 0));
    Arbitrary<String> member = HostileJson.values(NAMES, 2);
    Arbitrary<Map<String, String>> sample = HostileJson.members(NAMES, net.jqwik.api.Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, member), net.jqwik.api.Tuple.of(1, shape.list().ofMaxSize(3)
            .map(l -> "[" + String.join(",", l) + "]"))));
    // The two required members, unless given, so that the writer goes past them.
    return sample.map(m -> {
      m.putIfAbsent("text", "\"t\"");
      m.putIfAbsent("count", "1");
      return HostileJson.object(m);
    });
  }

  @Property(tries = 400, seed = "20261207")
  void everyBodyIsWrittenOrRefusedQuickly(@ForAll("bodies") String body) throws Exception {
    for (EnvelopeCodec codec : List.of(ECHO, LENIENT)) {
      byte[] envelope = HostileJson.answersWithinTheBound(body, () -> {
        JsonNode json = Json.MAPPER.readTree(body);
        try {
          return codec.request(json);
        } catch (GatewayException e) {
          assertThat(e.error().status()).as(e.error().detail()).isEqualTo(400);
          throw e;
        }
      }, GatewayException.class, JsonProcessingException.class);
      if (envelope != null) {
        // Each number written is at most its plain form: digits plus magnitude.
        assertThat(envelope.length).as("envelope size for %s", body)
            .isLessThan(2_000 + 4 * body.length() + 30 * (NumberBounds.MAX_DIGITS + NumberBounds.MAX_EXPONENT));
        XMLStreamReader r = XML.createXMLStreamReader(new ByteArrayInputStream(envelope));
        while (r.hasNext()) {
          r.next();
        }
      }
    }
  }
}
