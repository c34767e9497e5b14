package dev.ficus.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SamplesOptionsTest {

  @Test
  void noArgumentsGiveTheDemoDefaults() {
    assertThat(SamplesOptions.parse())
        .isEqualTo(new SamplesOptions(false, 7101, "legacy-secret", 7103, 7104, 7102));
  }

  @Test
  void flagsTakeSeparateOrInlineValues() {
    assertThat(SamplesOptions.parse("--soap-port", "9000", "--token=s3cret"))
        .isEqualTo(new SamplesOptions(false, 9000, "s3cret", 7103, 7104, 7102));
    assertThat(SamplesOptions.parse("--monolith-port", "9001", "--new-service-port=9002", "--grpc-port", "9003"))
        .isEqualTo(new SamplesOptions(false, 7101, "legacy-secret", 9001, 9002, 9003));
  }

  @Test
  void httpPortsMayBothBeAnyFreePort() {
    assertThat(SamplesOptions.parse("--monolith-port", "0", "--new-service-port", "0"))
        .isEqualTo(new SamplesOptions(false, 7101, "legacy-secret", 0, 0, 7102));
  }

  @Test
  void portsMustDiffer() {
    assertThatThrownBy(() -> SamplesOptions.parse("--monolith-port", "7101"))
        .hasMessage("--soap-port and --monolith-port must differ, both are 7101");
    assertThatThrownBy(() -> SamplesOptions.parse(
        "--monolith-port", "9000", "--new-service-port", "9000"))
        .hasMessageContaining("--monolith-port and --new-service-port");
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
    assertThatThrownBy(() -> SamplesOptions.parse("--new-service-port", "-1"))
        .hasMessageContaining("0..65535");
  }
}
