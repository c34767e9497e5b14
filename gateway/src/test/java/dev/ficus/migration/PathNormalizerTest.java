package dev.ficus.migration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathNormalizerTest {
  @Test
  void numericSegmentsBecomeId() {
    assertThat(PathNormalizer.normalize("/api/orders/42/items/7")).isEqualTo("/api/orders/{id}/items/{id}");
  }

  @Test
  void uuidsHexAndTokensAreCollapsed() {
    assertThat(PathNormalizer.normalize("/api/orders/3f2b8c1e-9d4a-4c6b-8f00-1a2b3c4d5e6f"))
        .isEqualTo("/api/orders/{uuid}");
    assertThat(PathNormalizer.normalize("/blobs/deadbeef0042")).isEqualTo("/blobs/{hex}");
    assertThat(PathNormalizer.normalize("/s/Ab3dEf9hIj2kLm4nOp")).isEqualTo("/s/{token}");
  }

  @Test
  void wordsAndExtensionsStay() {
    assertThat(PathNormalizer.normalize("/legacy/reports/2026/11.csv")).isEqualTo("/legacy/reports/{id}/{id}.csv");
    assertThat(PathNormalizer.normalize("/api/customers/search")).isEqualTo("/api/customers/search");
    assertThat(PathNormalizer.normalize("/")).isEqualTo("/");
    assertThat(PathNormalizer.normalize("/health/")).isEqualTo("/health");
  }

  @Test
  void aUuidMadeOnlyOfLettersIsStillAUuidAndDigitsWithAnExtensionStayNumbers() {
    assertThat(PathNormalizer.normalize("/u/deadbeef-dead-beef-dead-beefdeadbeef")).isEqualTo("/u/{uuid}");
    assertThat(PathNormalizer.normalize("/u/deadbeef-dead-beef-dead-beefdeadbeef.json")).isEqualTo("/u/{uuid}.json");
    assertThat(PathNormalizer.normalize("/p/0042/v2/x1")).isEqualTo("/p/{id}/v2/x1");
    assertThat(PathNormalizer.normalize("/p/-3/1.5")).isEqualTo("/p/{id}/{id}");
  }
}
