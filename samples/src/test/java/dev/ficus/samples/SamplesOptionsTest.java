package dev.ficus.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SamplesOptionsTest {

  @Test
  void noArgumentsGiveTheDemoDefaults() {
    assertThat(SamplesOptions.parse())
        .isEqualTo(new SamplesOptions(false, 7101, "legacy-secret"));
  }

  @Test
  void flagsTakeSeparateOrInlineValues() {
    assertThat(SamplesOptions.parse("--soap-port", "9000", "--token=s3cret"))
        .isEqualTo(new SamplesOptions(false, 9000, "s3cret"));
  }

  @Test
  void unknownFlagIsNamed() {
    assertThatThrownBy(() -> SamplesOptions.parse("--grpc-port", "1"))
        .hasMessageContaining("'--grpc-port'");
  }

  @Test
  void repeatedFlagIsRefused() {
    assertThatThrownBy(() -> SamplesOptions.parse("--token", "a", "--token=b"))
        .hasMessageContaining("more than once");
  }

  @Test
  void portMustBeAPortNumber() {
    assertThatThrownBy(() -> SamplesOptions.parse("--soap-port", "70000"))
        .hasMessageContaining("1..65535");
    assertThatThrownBy(() -> SamplesOptions.parse("--soap-port"))
        .hasMessageContaining("needs a value");
  }
}
