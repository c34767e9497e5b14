package dev.ficus.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseComparatorTest {
  private static ResponseComparator.Answer json(int status, String body) {
    return new ResponseComparator.Answer(status, Map.of("content-type", "application/json"),
        body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void memberOrderDoesNotMatter() {
    var c = new ResponseComparator(List.of(), List.of(), 0, List.of());
    assertThat(c.compare(json(200, "{\"a\":1,\"b\":[1,2]}"), json(200, "{\"b\":[1,2],\"a\":1}"))).isEmpty();
  }

  @Test
  void differencesNameTheirJsonPointer() {
    var c = new ResponseComparator(List.of(), List.of(), 0, List.of());
    var d = c.compare(json(200, "{\"a\":{\"b\":1},\"c\":[1,2]}"), json(200, "{\"a\":{\"b\":2},\"c\":[1]}"));
    assertThat(d).extracting(ResponseComparator.Difference::pointer)
        .containsExactly("/body/a/b", "/body/c/length");
  }

  @Test
  void ignoredPointersAndWildcardsAreSkipped() {
    var c = new ResponseComparator(List.of("/updatedAt", "/items/*/etag"), List.of(), 0, List.of());
    assertThat(c.compare(json(200, "{\"updatedAt\":\"x\",\"items\":[{\"id\":1,\"etag\":\"a\"}]}"),
        json(200, "{\"updatedAt\":\"y\",\"items\":[{\"id\":1,\"etag\":\"b\"}]}"))).isEmpty();
    assertThat(c.compare(json(200, "{\"items\":[{\"id\":1}]}"), json(200, "{\"items\":[{\"id\":2}]}")))
        .hasSize(1);
  }

  @Test
  void numbersWithinToleranceMatch() {
    var c = new ResponseComparator(List.of(), List.of(), 0.01, List.of());
    assertThat(c.compare(json(200, "{\"p\":10.001}"), json(200, "{\"p\":10}"))).isEmpty();
    assertThat(c.compare(json(200, "{\"p\":10.1}"), json(200, "{\"p\":10}"))).hasSize(1);
  }

  @Test
  void statusAndChosenHeadersAreCompared() {
    var c = new ResponseComparator(List.of(), List.of(), 0, List.of("etag"));
    var a = new ResponseComparator.Answer(200, Map.of("etag", "1"), new byte[0]);
    var b = new ResponseComparator.Answer(404, Map.of("etag", "2"), new byte[0]);
    assertThat(c.compare(a, b)).extracting(ResponseComparator.Difference::pointer)
        .containsExactly("/status", "/headers/etag");
  }

  @Test
  void redactedValuesAreMaskedInTheReport() {
    var c = new ResponseComparator(List.of(), List.of("/email"), 0, List.of());
    var d = c.compare(json(200, "{\"email\":\"a@x\"}"), json(200, "{\"email\":\"b@x\"}"));
    assertThat(d).hasSize(1);
    assertThat(d.get(0).primary().asText()).isEqualTo("***");
    assertThat(d.get(0).shadow().asText()).isEqualTo("***");
  }

  @Test
  void nonJsonBodiesAreComparedByteForByte() {
    var c = new ResponseComparator(List.of(), List.of(), 0, List.of());
    var a = new ResponseComparator.Answer(200, Map.of("content-type", "text/csv"), "a,b".getBytes());
    var b = new ResponseComparator.Answer(200, Map.of("content-type", "text/csv"), "a,c".getBytes());
    assertThat(c.compare(a, a)).isEmpty();
    assertThat(c.compare(a, b)).extracting(ResponseComparator.Difference::pointer).containsExactly("/body");
  }

  @Test
  void byteEqualBodiesStillHaveTheirStatusAndHeadersCompared() {
    var c = new ResponseComparator(List.of(), List.of(), 0, List.of("etag"));
    var a = new ResponseComparator.Answer(200, Map.of("content-type", "application/json", "etag", "1"),
        "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    var b = new ResponseComparator.Answer(201, Map.of("content-type", "application/json", "etag", "2"),
        "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    assertThat(c.compare(a, a)).isEmpty();
    assertThat(c.compare(a, b)).extracting(ResponseComparator.Difference::pointer)
        .containsExactly("/status", "/headers/etag");
  }
}
