package dev.ficus.samples.soap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class XmlDatesTest {

  @Test
  void aTimeOnAWholeMinuteKeepsItsSeconds() {
    assertThat(XmlDates.dateTime(OffsetDateTime.parse("2026-11-28T14:07:00Z")).toXMLFormat())
        .isEqualTo("2026-11-28T14:07:00Z");
  }

  @Test
  void fractionsAndOffsetsAreKept() {
    assertThat(XmlDates.dateTime(OffsetDateTime.parse("2021-09-09T10:30:00.250+09:00")).toXMLFormat())
        .isEqualTo("2021-09-09T10:30:00.25+09:00");
  }

  @Test
  void nowIsAValidDateTimeInUtc() {
    assertThat(XmlDates.nowUtc().toXMLFormat()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
  }
}
