package dev.ficus.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Compares what a command printed with what a page says it prints (see {@link DocExamples}
 * for the placeholders). JSON is compared as JSON: members in order, numbers with their
 * digits ({@code 2500.50} is not {@code 2500.5}), whitespace free. Stateless.
 */
final class ExpectedOutput {
  static final String ANY = "…";

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      // NDJSON (one value a line) is compared as text, line by line.
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      // 2500.50 must stay 2500.50: the docs promise the digits the backend sent.
      .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
      .build();

  private ExpectedOutput() {}

  /** The first difference between {@code expected} and {@code actual}, or null when they agree. */
  static String difference(List<String> expected, String actual) {
    String want = String.join("\n", expected).strip();
    String got = actual.strip();
    JsonNode wantJson = json(want);
    if (wantJson != null && !want.equals(ANY)) {
      JsonNode gotJson = json(got);
      if (gotJson == null) {
        return "expected JSON, got: " + got;
      }
      return jsonDifference("", wantJson, gotJson);
    }
    return textDifference(want.isEmpty() ? List.of() : want.lines().toList(), got.isEmpty() ? List.of() : got.lines().toList());
  }

  private static JsonNode json(String text) {
    if (text.isEmpty() || "{[\"".indexOf(text.charAt(0)) < 0 && !Character.isDigit(text.charAt(0))) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static String jsonDifference(String at, JsonNode want, JsonNode got) {
    if (want.isTextual() && ANY.equals(want.textValue())) {
      return null;
    }
    if (want.isObject() && got.isObject()) {
      List<String> wantNames = names(want.fieldNames());
      List<String> gotNames = names(got.fieldNames());
      if (!wantNames.equals(gotNames)) {
        return (at.isEmpty() ? "/" : at) + ": members " + wantNames + " expected, got " + gotNames;
      }
      for (String n : wantNames) {
        String d = jsonDifference(at + "/" + n, want.get(n), got.get(n));
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (want.isArray() && got.isArray()) {
      int last = want.size() - 1;
      if (last >= 0 && want.get(last).isTextual() && ANY.equals(want.get(last).textValue())) {
        // A last item "…": the items shown, then any number of others.
        if (got.size() < last) {
          return (at.isEmpty() ? "/" : at) + ": at least " + last + " items expected, got " + got.size() + ": " + got;
        }
        for (int i = 0; i < last; i++) {
          String d = jsonDifference(at + "/" + i, want.get(i), got.get(i));
          if (d != null) {
            return d;
          }
        }
        return null;
      }
      if (want.size() != got.size()) {
        return (at.isEmpty() ? "/" : at) + ": " + want.size() + " items expected, got " + got.size() + ": " + got;
      }
      for (int i = 0; i < want.size(); i++) {
        String d = jsonDifference(at + "/" + i, want.get(i), got.get(i));
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    // Numbers compare by their text: the docs promise the digits the backend sent.
    return want.equals(got) && want.toString().equals(got.toString()) ? null
        : (at.isEmpty() ? "/" : at) + ": " + want + " expected, got " + got;
  }

  private static List<String> names(Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  /** Line by line; {@code …} within a line is any text, a line of only {@code …} any lines. */
  static String textDifference(List<String> want, List<String> got) {
    return textFrom(want, 0, got, 0);
  }

  private static String textFrom(List<String> want, int w, List<String> got, int g) {
    for (; w < want.size(); w++, g++) {
      String line = want.get(w).strip();
      if (line.equals(ANY)) {
        for (int skip = g; skip <= got.size(); skip++) {
          if (textFrom(want, w + 1, got, skip) == null) {
            return null;
          }
        }
        return "no lines after '…' match from line " + (w + 2) + " of the expected output: " + want.subList(w + 1, want.size());
      }
      if (g >= got.size()) {
        return "expected '" + line + "', got nothing more";
      }
      if (!lineMatches(line, got.get(g).strip())) {
        return "expected '" + line + "', got '" + got.get(g).strip() + "'";
      }
    }
    return g < got.size() ? "unexpected lines: " + got.subList(g, got.size()) : null;
  }

  static boolean lineMatches(String want, String got) {
    StringBuilder re = new StringBuilder();
    for (String part : want.split(ANY, -1)) {
      if (re.length() > 0) {
        re.append(".*");
      }
      re.append(Pattern.quote(part));
    }
    return Pattern.compile(re.toString()).matcher(got).matches();
  }

  /**
   * What {@code curl -i} shows, against an HTTP reply: the status line (by code; the JDK client
   * does not report the reason phrase), each header shown (by name; other headers may be there),
   * then the body.
   */
  static String replyDifference(List<String> expected, int status, Map<String, List<String>> headers, String body) {
    if (expected.isEmpty() || !expected.get(0).startsWith("HTTP/1.1 ")) {
      return "a curl -i example must show the status line first";
    }
    String code = expected.get(0).substring(9).split(" ")[0];
    if (!code.equals(Integer.toString(status))) {
      return "status " + code + " expected, got " + status + " (" + body + ")";
    }
    int i = 1;
    for (; i < expected.size() && !expected.get(i).isBlank(); i++) {
      String h = expected.get(i);
      int colon = h.indexOf(':');
      String name = h.substring(0, colon).strip();
      String value = h.substring(colon + 1).strip();
      List<String> got = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream()).toList();
      if (got.stream().noneMatch(v -> lineMatches(value, v))) {
        return "header " + name + ": " + value + " expected, got " + got;
      }
    }
    return difference(i < expected.size() ? expected.subList(i + 1, expected.size()) : List.of(), body);
  }
}
