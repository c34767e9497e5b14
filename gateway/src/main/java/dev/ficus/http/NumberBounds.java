package dev.ficus.http;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The size of every number the gateway reads or writes, in every translator and both
 * directions: client JSON and path, query and header values into XML or protobuf, and backend
 * replies into JSON. A number past these bounds is refused before anything turns it into digits
 * (a request: 400 at the member's pointer; a reply: 502), because the cost of a number is not its
 * literal: {@code 1e999999999} is eleven characters, and its plain form (what {@code xs:decimal}
 * needs, and what {@code toBigIntegerExact} builds for a protobuf {@code uint64}) is a billion.
 *
 * <ul>
 *   <li>{@link #MAX_LITERAL_LENGTH} = 1000 characters: the longest number literal read. It is
 *       Jackson's default {@code StreamReadConstraints.maxNumberLength}, which {@link Json#MAPPER}
 *       sets to this same constant, so a JSON number token and a number in a string, a path
 *       value or an XML reply meet one limit. Parsing 1000 digits costs microseconds; a
 *       million-digit decimal, which XML allows, costs seconds (quadratic in the digits).</li>
 *   <li>{@link #MAX_DIGITS} = 800 significant digits: every double's exact decimal expansion
 *       (at most 767 significant digits) fits, and so do every {@code int64}/{@code uint64} (20),
 *       SQL's {@code DECIMAL(38)} and XSD's {@code totalDigits} minimum of 18.</li>
 *   <li>{@link #MAX_EXPONENT} = 400: the power of ten of the leading digit lies in
 *       [-400, 400]. The doubles span 10^-324 (the smallest subnormal) to 10^308, the floats far
 *       less, and money, counts and identifiers far less again. With the digit bound this keeps
 *       the plain form of any accepted number under 1,205 characters.</li>
 * </ul>
 *
 * Stateless; thread-safe. Each method returns null when the number is within the bounds, or the
 * sentence that says why not (to follow a pointer: {@code /creditLimit has ...}).
 */
public final class NumberBounds {
  /** The longest number literal, in characters (sign, digits, point, exponent). */
  public static final int MAX_LITERAL_LENGTH = 1000;
  /** The most significant digits. */
  public static final int MAX_DIGITS = 800;
  /** The largest |power of ten| of the leading digit. */
  public static final int MAX_EXPONENT = 400;

  private NumberBounds() {}

  /** Why {@code d} is out of bounds, or null. Cheap for any {@code d}: nothing is expanded. */
  public static String problem(BigDecimal d) {
    int digits = d.precision();
    if (digits > MAX_DIGITS) {
      return "has " + digits + " significant digits; the gateway takes at most " + MAX_DIGITS;
    }
    // The power of ten of the leading digit; for zero, that of the last written place (0.000).
    long exponent = d.signum() == 0 ? -(long) d.scale() : (long) digits - d.scale() - 1;
    if (exponent > MAX_EXPONENT || exponent < -MAX_EXPONENT) {
      return "is a number of magnitude 10^" + exponent + "; the gateway takes magnitudes from 10^-" + MAX_EXPONENT
          + " to 10^" + MAX_EXPONENT;
    }
    return null;
  }

  /** Why {@code i} is out of bounds, or null. */
  public static String problem(BigInteger i) {
    // bitLength is exact and free; 2^1330 > 10^400, so only a value near the bound needs digits.
    return i.bitLength() < 1300 ? null : problem(new BigDecimal(i));
  }

  /**
   * Why the literal {@code text} is out of bounds, or null: too long (checked first, before
   * any parsing, when the text starts like a number), or a number whose value is out of bounds.
   * Text that is not a decimal number ({@code INF}, {@code abc}) is not this class's concern and
   * gives null; the caller's own parser refuses it. Leading and trailing white space and a leading {@code +} are allowed, as
   * XML Schema allows them.
   */
  public static String literalProblem(String text) {
    if (text.length() > MAX_LITERAL_LENGTH) {
      String t = text.strip();
      if (t.length() > MAX_LITERAL_LENGTH) {
        // Refused on its first character, unless it starts like a number: then a parser would
        // read (quadratically) up to the character at fault, wherever that is.
        char c = t.charAt(0);
        boolean numeric = (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.';
        return numeric ? "is a number of " + t.length() + " characters; the gateway takes at most "
            + MAX_LITERAL_LENGTH : null;
      }
      text = t;
    }
    BigDecimal d;
    try {
      d = new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      return null;
    }
    return problem(d);
  }
}
