package dev.ficus.xml;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The XSD built-in simple types Ficus distinguishes, each with its JSON representation and a
 * lexical check. Types derived by restriction map to the kind of their built-in base.
 */
public enum SimpleKind {
  STRING(Json.STRING, null),
  BOOLEAN(Json.BOOLEAN, null),
  DECIMAL(Json.DECIMAL, null),
  INTEGER(Json.INTEGER, null, null),
  LONG(Json.INTEGER, BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE)),
  INT(Json.INTEGER, BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE)),
  SHORT(Json.INTEGER, BigInteger.valueOf(Short.MIN_VALUE), BigInteger.valueOf(Short.MAX_VALUE)),
  BYTE(Json.INTEGER, BigInteger.valueOf(Byte.MIN_VALUE), BigInteger.valueOf(Byte.MAX_VALUE)),
  NON_NEGATIVE_INTEGER(Json.INTEGER, BigInteger.ZERO, null),
  POSITIVE_INTEGER(Json.INTEGER, BigInteger.ONE, null),
  NON_POSITIVE_INTEGER(Json.INTEGER, null, BigInteger.ZERO),
  NEGATIVE_INTEGER(Json.INTEGER, null, BigInteger.valueOf(-1)),
  UNSIGNED_LONG(Json.INTEGER, BigInteger.ZERO, new BigInteger("18446744073709551615")),
  UNSIGNED_INT(Json.INTEGER, BigInteger.ZERO, BigInteger.valueOf(4294967295L)),
  UNSIGNED_SHORT(Json.INTEGER, BigInteger.ZERO, BigInteger.valueOf(65535)),
  UNSIGNED_BYTE(Json.INTEGER, BigInteger.ZERO, BigInteger.valueOf(255)),
  FLOAT(Json.FLOAT, null),
  DOUBLE(Json.FLOAT, null),
  DATE(Json.STRING, "-?\\d{4,}-" + Lexical.MONTH_DAY + Lexical.ZONE + "?"),
  DATE_TIME(Json.STRING, "-?\\d{4,}-" + Lexical.MONTH_DAY + "T" + Lexical.TIME + Lexical.ZONE + "?"),
  TIME(Json.STRING, Lexical.TIME + Lexical.ZONE + "?"),
  DURATION(Json.STRING, "-?P(?=\\d|T\\d)(\\d+Y)?(\\d+M)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?"),
  G_YEAR(Json.STRING, "-?\\d{4,}(Z|[+-]\\d{2}:\\d{2})?"),
  G_YEAR_MONTH(Json.STRING, "-?\\d{4,}-\\d{2}(Z|[+-]\\d{2}:\\d{2})?"),
  BASE64_BINARY(Json.STRING, "(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?"),
  HEX_BINARY(Json.STRING, "([0-9A-Fa-f]{2})*"),
  /** xs:QName: in JSON {@code {namespace}local} (Clark notation), or {@code local} for no namespace. */
  QNAME(Json.STRING, "(\\{[^{}\\s]*\\})?" + Lexical.NC_NAME),
  /** anyURI, NOTATION and other string-like types that Ficus passes through unchecked. */
  ANY_STRING(Json.STRING, null);

  /** How a value of this kind looks in JSON. */
  public enum Json { STRING, BOOLEAN, INTEGER, DECIMAL, FLOAT }

  private static final Map<String, SimpleKind> BY_XSD_NAME = new HashMap<>();

  static {
    Object[][] names = {
        {"string", STRING}, {"normalizedString", STRING}, {"token", STRING}, {"language", STRING},
        {"Name", STRING}, {"NCName", STRING}, {"NMTOKEN", STRING}, {"ID", STRING}, {"IDREF", STRING},
        {"ENTITY", STRING}, {"anyURI", ANY_STRING}, {"QName", QNAME}, {"NOTATION", ANY_STRING},
        {"anySimpleType", ANY_STRING}, {"anyType", ANY_STRING}, {"gMonth", ANY_STRING}, {"gDay", ANY_STRING},
        {"gMonthDay", ANY_STRING}, {"NMTOKENS", ANY_STRING}, {"IDREFS", ANY_STRING}, {"ENTITIES", ANY_STRING},
        {"boolean", BOOLEAN}, {"decimal", DECIMAL}, {"integer", INTEGER}, {"long", LONG}, {"int", INT},
        {"short", SHORT}, {"byte", BYTE}, {"nonNegativeInteger", NON_NEGATIVE_INTEGER},
        {"positiveInteger", POSITIVE_INTEGER}, {"nonPositiveInteger", NON_POSITIVE_INTEGER},
        {"negativeInteger", NEGATIVE_INTEGER}, {"unsignedLong", UNSIGNED_LONG}, {"unsignedInt", UNSIGNED_INT},
        {"unsignedShort", UNSIGNED_SHORT}, {"unsignedByte", UNSIGNED_BYTE}, {"float", FLOAT}, {"double", DOUBLE},
        {"date", DATE}, {"dateTime", DATE_TIME}, {"dateTimeStamp", DATE_TIME}, {"time", TIME},
        {"duration", DURATION}, {"dayTimeDuration", DURATION}, {"yearMonthDuration", DURATION},
        {"gYear", G_YEAR}, {"gYearMonth", G_YEAR_MONTH}, {"base64Binary", BASE64_BINARY}, {"hexBinary", HEX_BINARY},
    };
    for (Object[] n : names) {
      BY_XSD_NAME.put((String) n[0], (SimpleKind) n[1]);
    }
  }

  private final Json json;
  private final BigInteger min;
  private final BigInteger max;
  private final Pattern lexical;

  SimpleKind(Json json, String lexical) {
    this(json, null, null, lexical);
  }

  SimpleKind(Json json, BigInteger min, BigInteger max) {
    this(json, min, max, null);
  }

  SimpleKind(Json json, BigInteger min, BigInteger max, String lexical) {
    this.json = json;
    this.min = min;
    this.max = max;
    this.lexical = lexical == null ? null : Pattern.compile(lexical);
  }

  /** The kind of the XSD built-in type {@code localName}, or null when it is not a built-in. */
  public static SimpleKind ofXsd(String localName) {
    return BY_XSD_NAME.get(localName);
  }

  public Json json() {
    return json;
  }

  /** True when JSON numbers of this kind may lose precision in common JSON parsers. */
  public boolean isPrecisionSensitive() {
    return this == DECIMAL || this == LONG || this == INTEGER || this == UNSIGNED_LONG
        || this == NON_NEGATIVE_INTEGER || this == POSITIVE_INTEGER || this == NON_POSITIVE_INTEGER
        || this == NEGATIVE_INTEGER;
  }

  /** True when {@code v} is within this integer kind's range. */
  public boolean inRange(BigInteger v) {
    return (min == null || v.compareTo(min) >= 0) && (max == null || v.compareTo(max) <= 0);
  }

  /** True when {@code s} is a valid lexical form for kinds checked by pattern. */
  public boolean lexicallyValid(String s) {
    if (lexical == null) {
      return true;
    }
    // base64Binary may be folded over lines: whitespace does not count.
    return lexical.matcher(this == BASE64_BINARY ? s.replaceAll("\\s+", "") : s).matches();
  }

  /** Pieces of the date and time patterns. */
  private static final class Lexical {
    static final String MONTH_DAY = "(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])";
    static final String TIME = "(([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d+)?|24:00:00(\\.0+)?)";
    static final String ZONE = "(Z|[+-]((0\\d|1[0-3]):[0-5]\\d|14:00))";
    /** An XML NCName (a name without a colon), letters and digits of any script. */
    static final String NC_NAME = "[\\p{L}_][\\p{L}\\p{N}_.\\-\\u00B7\\p{M}]*";
  }

  /** A short human name for messages, e.g. "xs:int (whole number from -2147483648 to 2147483647)". */
  public String describe(String xsdName) {
    return switch (json) {
      case INTEGER -> "xs:" + xsdName + " (a whole number" + rangeText() + ")";
      case DECIMAL -> "xs:" + xsdName + " (a decimal number)";
      case FLOAT -> "xs:" + xsdName + " (a number)";
      case BOOLEAN -> "xs:" + xsdName + " (true or false)";
      case STRING -> this == QNAME ? "xs:" + xsdName + " (a string '{namespace}local', or 'local' for no namespace)"
          : "xs:" + xsdName + " (a string" + (lexical == null ? "" : " in XML Schema " + xsdName + " form") + ")";
    };
  }

  private String rangeText() {
    if (min == null && max == null) {
      return "";
    }
    if (min == null) {
      return " up to " + max;
    }
    if (max == null) {
      return " from " + min;
    }
    return " from " + min + " to " + max;
  }

  /** Parses an XML decimal lexical form; null when malformed. */
  public static BigDecimal parseDecimal(String s) {
    try {
      String t = s.trim();
      if (t.isEmpty() || t.indexOf('e') >= 0 || t.indexOf('E') >= 0) {
        return null;
      }
      return new BigDecimal(t.startsWith("+") ? t.substring(1) : t);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
