package dev.ficus.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shadow request skips parsing its target only when the parse could not fail. */
class ShadowPlainPathTest {
  private static final List<String> PLAIN = List.of("/", "/api/customers/4", "/a-b_c.d~e/!$&'()*+,;=:@/x",
      "/caf%C3%A9/%2f", "//double", "/UPPER/lower/0123456789");
  private static final List<String> NOT_PLAIN = List.of("/a b", "/a?b", "/a#b", "/100%", "/%zz", "/%4",
      "/[x]", "/caf\u00e9", "/a\"b", "/a|b", "/a\\b", "/a^b", "/a{b}", "/a<b>");

  @Test
  void plainPathsAreThoseEveryUriParserAccepts() {
    for (String p : PLAIN) {
      assertThat(ShadowHandler.plainPath(p)).as(p).isTrue();
      assertThatCode(() -> URI.create("http://127.0.0.1:8080" + p)).as(p).doesNotThrowAnyException();
    }
  }

  @Test
  void anythingElseIsLeftToTheParser() {
    for (String p : NOT_PLAIN) {
      assertThat(ShadowHandler.plainPath(p)).as(p).isFalse();
    }
  }

  @Test
  void theComparisonReadsOnlyTheChosenHeadersAndTheContentType() {
    var c = new ResponseComparator(List.of(), List.of(), 0, List.of("ETag", "cache-control"));
    assertThat(c.headerNames()).containsExactly("etag", "cache-control", "content-type");
  }
}
