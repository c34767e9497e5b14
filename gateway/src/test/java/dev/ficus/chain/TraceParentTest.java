package dev.ficus.chain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceParentTest {
  private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void aValidVersion00TraceParentIsReadAndWrittenBackUnchanged() {
    TraceParent t = TraceParent.parse(VALID);
    assertThat(t.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(t.parentId()).isEqualTo("00f067aa0ba902b7");
    assertThat(t.flags()).isEqualTo(1);
    assertThat(t.started()).isFalse();
    assertThat(t.header()).isEqualTo(VALID);
  }

  @Test
  void whatTheRecommendationCallsInvalidIsRefused() {
    assertThat(TraceParent.parse(null)).isNull();
    assertThat(TraceParent.parse(VALID.toUpperCase())).as("upper-case hex").isNull();
    assertThat(TraceParent.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isNull();
    assertThat(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).isNull();
    assertThat(TraceParent.parse("ff" + VALID.substring(2))).as("version ff").isNull();
    assertThat(TraceParent.parse(VALID + "-extra")).as("version 00 has four fields").isNull();
    assertThat(TraceParent.parse(VALID.replace('-', '_'))).isNull();
    assertThat(TraceParent.parse(VALID.substring(0, 54) + "g")).isNull();
  }

  @Test
  void aLaterVersionIsReadByItsFirstFourFields() {
    TraceParent t = TraceParent.parse("01" + VALID.substring(2) + "-what-comes-later");
    assertThat(t).isNotNull();
    assertThat(t.header()).as("written as version 00").isEqualTo(VALID);
  }

  @Test
  void startedTracesAreValidAndDistinct() {
    TraceParent a = TraceParent.start();
    TraceParent b = TraceParent.start();
    assertThat(a.started()).isTrue();
    assertThat(TraceParent.parse(a.header())).isNotNull();
    assertThat(a.traceId()).isNotEqualTo(b.traceId());
    assertThat(a.flags()).as("not sampled: the gateway records no spans yet").isZero();
  }

  @Test
  void requestIdsArePlainTokensOfAtMost64Characters() {
    assertThat(RequestContext.plainToken("order-42.retry:1_a")).isTrue();
    assertThat(RequestContext.plainToken("x".repeat(64))).isTrue();
    assertThat(RequestContext.plainToken("x".repeat(65))).isFalse();
    assertThat(RequestContext.plainToken("a b")).isFalse();
    assertThat(RequestContext.plainToken("a\nb")).isFalse();
    assertThat(RequestContext.plainToken("")).isFalse();
  }
}
