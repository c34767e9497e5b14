package dev.ficus.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one YAML document into a {@link YNode} tree with locations, substituting
 * {@code ${VAR}} and {@code ${VAR:-default}} in scalars. Duplicate keys, syntax errors and
 * unset variables without a default are reported to {@link Problems}; reading continues where
 * it can so that all problems of a file are reported at once.
 */
public final class YamlReader {
  private static final YAMLFactory FACTORY = new YAMLFactory();
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.]*)(?::-([^}]*))?}");

  private final Function<String, String> env;

  /** @param env variable lookup (normally {@code System::getenv}); returns null when unset */
  public YamlReader(Function<String, String> env) {
    this.env = env;
  }

  /** Parses {@code text}; returns null (with a problem recorded) when the YAML is malformed. */
  public YNode read(String fileName, String text, Problems problems) {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        problems.add(new Loc(fileName, 1, 1), "the file is empty");
        return null;
      }
      YNode root = readValue(fileName, p, problems);
      if (p.nextToken() != null) {
        JsonLocation l = p.currentTokenLocation();
        problems.add(new Loc(fileName, Math.max(1, l.getLineNr() - 1), 1),
            "a second YAML document ('---') in one file; put each document in its own file");
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      String msg = e.getOriginalMessage();
      int nl = msg.indexOf('\n');
      problems.add(l == null ? Loc.of(fileName) : new Loc(fileName, l.getLineNr(), l.getColumnNr()),
          "YAML syntax error: " + (nl > 0 ? msg.substring(0, nl) : msg));
      return null;
    } catch (IOException e) {
      problems.add(Loc.of(fileName), "cannot read: " + e.getMessage());
      return null;
    }
  }

  private YNode readValue(String file, JsonParser p, Problems problems) throws IOException {
    JsonLocation l = p.currentTokenLocation();
    Loc loc = new Loc(file, l.getLineNr(), l.getColumnNr());
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, YNode.Entry> entries = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          JsonLocation kl = p.currentTokenLocation();
          Loc keyLoc = new Loc(file, kl.getLineNr(), kl.getColumnNr());
          String key = p.currentName();
          p.nextToken();
          YNode value = readValue(file, p, problems);
          YNode.Entry prev = entries.get(key);
          if (prev != null) {
            problems.add(keyLoc, "duplicate key '" + key + "' (first written at line "
                + prev.keyLoc().line() + "); remove one of them");
          } else {
            entries.put(key, new YNode.Entry(key, keyLoc, value));
          }
        }
        return new YNode.YMap(loc, entries);
      }
      case START_ARRAY -> {
        List<YNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(readValue(file, p, problems));
        }
        return new YNode.YList(loc, items);
      }
      case VALUE_STRING -> {
        return new YNode.YScalar(loc, substitute(p.getText(), loc, problems), YNode.YScalar.Type.STRING);
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return new YNode.YScalar(loc, p.getText(), YNode.YScalar.Type.NUMBER);
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new YNode.YScalar(loc, p.getText(), YNode.YScalar.Type.BOOLEAN);
      }
      case VALUE_NULL -> {
        return new YNode.YScalar(loc, null, YNode.YScalar.Type.NULL);
      }
      default -> {
        problems.add(loc, "unsupported YAML construct " + t);
        return new YNode.YScalar(loc, null, YNode.YScalar.Type.NULL);
      }
    }
  }

  /** Replaces {@code ${VAR}} / {@code ${VAR:-default}}; an unset variable without default is a problem. */
  String substitute(String text, Loc loc, Problems problems) {
    if (text.indexOf("${") < 0) {
      return text;
    }
    Matcher m = VAR.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = env.apply(m.group(1));
      if (value == null || (value.isEmpty() && m.group(2) != null)) {
        value = m.group(2);
      }
      if (value == null) {
        problems.unsetVariable(loc, "environment variable " + m.group(1)
            + " is not set; set it or give a default with ${" + m.group(1) + ":-value}");
        value = "";
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
