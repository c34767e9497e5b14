package dev.ficus.testing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of what a hostile client sends, for the fuzz tests of the translators: JSON
 * text (not trees, so that number literals reach the gateway's parser exactly as written) built
 * around the member names the schema knows, with numbers of every size — ordinary ones, huge
 * exponents, hundreds of digits, {@code -0.0}, leading zeros — numbers in strings, control
 * characters, wrong types and nesting. Also the one assertion all fuzz tests share: an input is
 * answered (or refused) within a bound.
 */
public final class HostileJson {
  /**
   * The most CPU one input may take (on its thread, so that a busy machine does not count): far
   * above a normal translation (microseconds), far below a blow-up (seconds to minutes).
   */
  public static final Duration BOUND = Duration.ofSeconds(1);

  private HostileJson() {}

  private static final Arbitrary<String> NUMBERS = buildNumberLiterals();
  private static final Arbitrary<String> STRINGS = buildStringLiterals();

  /** A JSON number literal (sometimes not quite valid JSON, as a client may send). */
  public static Arbitrary<String> numberLiterals() {
    return NUMBERS;
  }

  /** A JSON string literal: text, numbers in quotes, control and non-BMP characters. */
  public static Arbitrary<String> stringLiterals() {
    return STRINGS;
  }

  /** A short number with a magnitude near 10^±10^9: eleven characters, a billion digits. */
  public static Arbitrary<String> hugeMagnitudes() {
    return Combinators.combine(Arbitraries.of("", "-"), Arbitraries.integers().between(1, 99),
        Arbitraries.of("e", "E", "e+", "e-", "E-"), Arbitraries.integers().between(100_000_000, Integer.MAX_VALUE)
            .withDistribution(net.jqwik.api.RandomDistribution.uniform()))
        .as((s, m, e, x) -> s + m + e + x);
  }

  private static Arbitrary<String> buildNumberLiterals() {
    Arbitrary<String> sign = Arbitraries.of("", "", "-");
    // Mostly valid JSON (no leading zero), so that most inputs get past the parser to the translator.
    Arbitrary<String> shortDigits = Combinators.combine(Arbitraries.chars().range('1', '9'),
        Arbitraries.strings().numeric().ofMaxLength(24)).as((first, rest) -> first + rest);
    Arbitrary<String> longDigits = Arbitraries.integers().between(300, 1200).map(n -> "7".repeat(n));
    Arbitrary<String> digits = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, shortDigits), net.jqwik.api.Tuple.of(1, longDigits),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("0", "00", "9223372036854775808", "18446744073709551616")));
    Arbitrary<String> fraction = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, Arbitraries.just("")), net.jqwik.api.Tuple.of(4, shortDigits.map(d -> "." + d)),
        net.jqwik.api.Tuple.of(1, longDigits.map(d -> "." + d)));
    Arbitrary<String> exponent = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, Arbitraries.just("")),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(-30, 30).map(e -> "e" + e)),
        // Uniform, not jqwik's default bias to small values: most of these are near ±10^9.
        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(Integer.MIN_VALUE + 1, Integer.MAX_VALUE)
            .withDistribution(net.jqwik.api.RandomDistribution.uniform())
            .map(e -> (e % 2 == 0 ? "E" : "e") + (e > 0 && e % 3 == 0 ? "+" : "") + e)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("e308", "e309", "e-324", "e-325", "E+400", "e-401", "e38", "e39")));
    return Combinators.combine(sign, digits, fraction, exponent).as((s, d, f, e) -> s + d + f + e);
  }

  private static Arbitrary<String> buildStringLiterals() {
    Arbitrary<String> text = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.strings().ofMaxLength(12)),
        net.jqwik.api.Tuple.of(3, NUMBERS),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("NaN", "INF", "-Infinity", "true", "2026-12-07", "P1D",
            "2026-12-07T10:00:00Z", "1.5s", "AAEC/w==", "CAFE", "GREEN", "\u0001", "\uFFFE", "\uD83D\uDE00")));
    return text.map(HostileJson::quote);
  }

  /** Any JSON value up to {@code depth} levels: scalars, arrays and objects with {@code names} as members. */
  public static Arbitrary<String> values(List<String> names, int depth) {
    Arbitrary<String> scalar = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, numberLiterals()), net.jqwik.api.Tuple.of(3, stringLiterals()),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("true", "false", "null", "{}", "[]")));
    if (depth <= 0) {
      return scalar;
    }
    Arbitrary<String> inner = Arbitraries.lazy(() -> values(names, depth - 1));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, scalar),
        net.jqwik.api.Tuple.of(1, inner.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]")),
        net.jqwik.api.Tuple.of(2, objects(names, inner)));
  }

  /** An object of up to six members named from {@code names} (each once), values from {@code values}. */
  public static Arbitrary<String> objects(List<String> names, Arbitrary<String> values) {
    return members(names, values).map(HostileJson::object);
  }

  /** Up to six members named from {@code names} (each once: a duplicate is only malformed JSON), in order. */
  public static Arbitrary<Map<String, String>> members(List<String> names, Arbitrary<String> values) {
    return Combinators.combine(Arbitraries.of(names), values).as(Map::entry).list().ofMaxSize(6).map(l -> {
      Map<String, String> m = new LinkedHashMap<>();
      l.forEach(e -> m.putIfAbsent(e.getKey(), e.getValue()));
      return m;
    });
  }

  /** The JSON object of {@code members} (name → JSON text of the value). */
  public static String object(Map<String, String> members) {
    StringBuilder b = new StringBuilder("{");
    members.forEach((n, v) -> b.append(b.length() > 1 ? "," : "").append(quote(n)).append(':').append(v));
    return b.append('}').toString();
  }

  /** {@code s} as a JSON string literal. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /**
   * Runs {@code work}, which may end normally or throw one of {@code expected} (the gateway's
   * own refusals), and fails on any other throwable or when it takes more CPU than {@link #BOUND}.
   */
  @SafeVarargs
  public static <T> T answersWithinTheBound(String input, Callable<T> work,
      Class<? extends Throwable>... expected) {
    long t0 = CpuTime.thread();
    T result = null;
    try {
      result = work.call();
    } catch (Throwable t) {
      boolean own = false;
      for (Class<? extends Throwable> c : expected) {
        own |= c.isInstance(t);
      }
      if (!own) {
        throw new AssertionError("unexpected " + t + " for input " + shorten(input), t);
      }
    }
    Duration took = Duration.ofNanos(CpuTime.thread() - t0);
    if (took.compareTo(BOUND) > 0) {
      throw new AssertionError("took " + took.toMillis() + " ms of CPU (bound " + BOUND.toMillis() + " ms) for input "
          + shorten(input));
    }
    return result;
  }

  private static String shorten(String s) {
    return s.length() <= 400 ? s : s.substring(0, 400) + "… (" + s.length() + " characters)";
  }
}
