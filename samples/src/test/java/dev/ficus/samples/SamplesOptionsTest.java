package dev.ficus.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SamplesOptionsTest {

  @Test
  void noArgumentsGiveTheDemoDefaults() {
    assertThat(SamplesOptions.parse())
        .isEqualTo(new SamplesOptions(false, 7101, "legacy-secret", 7102));
  }

  @Test
  void flagsTakeSeparateOrInlineValues() {
    assertThat(SamplesOptions.parse("--soap-port", "9000", "--token=s3cret", "--grpc-port=9001"))
        .isEqualTo(new SamplesOptions(false, 9000, "s3cret", 9001));
  }

  @Test
  void unknownFlagIsNamed() {
    assertThatThrownBy(() -> SamplesOptions.parse("--ftp-port", "1"))
        .hasMessageContaining("'--ftp-port'");
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
