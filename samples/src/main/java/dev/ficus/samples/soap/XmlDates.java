package dev.ficus.samples.soap;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeConstants;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.datatype.XMLGregorianCalendar;

/** Conversions between java.time and the JAXB calendar type; stateless and thread-safe. */
final class XmlDates {

  private static final DatatypeFactory FACTORY = newFactory();

  private XmlDates() {
  }

  /** An xs:date or xs:dateTime value, e.g. {@code "1980-04-12"}, {@code "2019-03-01T09:15:00Z"}. */
  static XMLGregorianCalendar parse(String lexical) {
    return FACTORY.newXMLGregorianCalendar(lexical);
  }

  /** The current time in UTC, to the second, as an xs:dateTime. */
  static XMLGregorianCalendar nowUtc() {
    return dateTime(OffsetDateTime.now(ZoneOffset.UTC).withNano(0));
  }

  /**
   * {@code time} as an xs:dateTime. Formatted with seconds always present:
   * {@link OffsetDateTime#toString()} drops {@code :00} seconds ({@code 14:07Z}), which is
   * not a valid xs:dateTime.
   */
  static XMLGregorianCalendar dateTime(OffsetDateTime time) {
    return parse(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time));
  }

  /** An xs:dateTime as an OffsetDateTime; a value without a zone offset is read as UTC. */
  static OffsetDateTime toOffsetDateTime(XMLGregorianCalendar value) {
    XMLGregorianCalendar copy = (XMLGregorianCalendar) value.clone();
    if (copy.getTimezone() == DatatypeConstants.FIELD_UNDEFINED) {
      copy.setTimezone(0);
    }
    return copy.toGregorianCalendar().toZonedDateTime().toOffsetDateTime();
  }

  private static DatatypeFactory newFactory() {
    try {
      return DatatypeFactory.newInstance();
    } catch (DatatypeConfigurationException e) {
      throw new IllegalStateException("no javax.xml.datatype implementation", e);
    }
  }
}
