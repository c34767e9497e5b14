package dev.ficus.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the examples of a Markdown page, in page order. The convention (written down in
 * docs/getting-started.md, "How these examples are checked"):
 *
 * <ul>
 *   <li>A fenced {@code console} block is an example: each {@code $ } line is a command (a line
 *       ending in a backslash goes on in the next), the lines up to the next command are what it
 *       prints. In the output, {@code …} stands for any text within a line, a line that is only
 *       {@code …} for any number of lines, the JSON string {@code "…"} for any JSON value, and as
 *       the last item of an array for any further items.</li>
 *   <li>{@code <!-- docs-test: run -->} before a fenced block: its commands are run, their
 *       output is not compared (the README's tour, whose effect a later example shows).</li>
 *   <li>{@code <!-- docs-test: file DIR/NAME -->} before a fenced block: the block is written
 *       to that file.</li>
 *   <li>{@code <!-- docs-test: replace DIR/NAME "old" "new" -->}: the file's text is edited, as
 *       the page tells the reader to.</li>
 * </ul>
 * Pure parsing; immutable results.
 */
final class DocExamples {
  private DocExamples() {}

  /** One step of a page, with the line it starts on. */
  sealed interface Step permits Console, RunOnly, WriteFile, Replace {
    int line();
  }

  /** A command and what the page says it prints. */
  record Command(String text, List<String> output) {}

  record Console(int line, List<Command> commands) implements Step {}

  record RunOnly(int line, List<String> commands) implements Step {}

  record WriteFile(int line, String file, String text) implements Step {}

  record Replace(int line, String file, String from, String to) implements Step {}

  private static final Pattern MARKER = Pattern.compile("<!-- docs-test: (run|file (\\S+)|replace (\\S+) \"([^\"]*)\" \"([^\"]*)\") -->");

  static List<Step> read(Path page) {
    List<String> lines;
    try {
      lines = Files.readAllLines(page);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Step> steps = new ArrayList<>();
    String pending = null;
    String pendingFile = null;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      Matcher m = MARKER.matcher(l.strip());
      if (m.matches()) {
        if (m.group(1).equals("run")) {
          pending = "run";
        } else if (m.group(2) != null) {
          pending = "file";
          pendingFile = m.group(2);
        } else {
          steps.add(new Replace(i + 1, m.group(3), m.group(4), m.group(5)));
        }
        continue;
      }
      if (!l.startsWith("```") || l.length() == 3) {
        continue;
      }
      String info = l.substring(3).strip();
      int start = i + 1;
      List<String> body = new ArrayList<>();
      for (i = start; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
        body.add(lines.get(i));
      }
      if ("file".equals(pending)) {
        steps.add(new WriteFile(start, pendingFile, String.join("\n", body) + "\n"));
      } else if ("run".equals(pending)) {
        steps.add(new RunOnly(start, joined(body)));
      } else if (info.equals("console")) {
        steps.add(new Console(start, console(body)));
      }
      pending = null;
    }
    return steps;
  }

  /** The commands of a shell block, continuation lines joined. */
  static List<String> joined(List<String> block) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = null;
    for (String l : block) {
      String s = l.strip();
      if (cur == null) {
        if (s.isEmpty() || s.startsWith("#")) {
          continue;
        }
        cur = new StringBuilder();
      }
      if (s.endsWith("\\")) {
        cur.append(s, 0, s.length() - 1).append(' ');
      } else {
        out.add(cur.append(s).toString());
        cur = null;
      }
    }
    return out;
  }

  private static List<Command> console(List<String> block) {
    List<Command> out = new ArrayList<>();
    for (int i = 0; i < block.size(); i++) {
      if (!block.get(i).startsWith("$ ")) {
        throw new IllegalArgumentException("a console block must start with a '$ ' command: " + block.get(i));
      }
      List<String> command = new ArrayList<>(List.of(block.get(i).substring(2)));
      while (command.get(command.size() - 1).endsWith("\\") && i + 1 < block.size()) {
        command.add(block.get(++i));
      }
      List<String> output = new ArrayList<>();
      while (i + 1 < block.size() && !block.get(i + 1).startsWith("$ ")) {
        output.add(block.get(++i));
      }
      out.add(new Command(joined(command).get(0), List.copyOf(output)));
    }
    return out;
  }

  /**
   * Splits a command line into words as a POSIX shell does for the quoting the pages use:
   * single quotes, double quotes, backslashes; an unquoted {@code #} starts a comment.
   */
  static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder w = null;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        w = w == null ? new StringBuilder() : w;
        w.append(line, i + 1, end);
        i = end;
      } else if (c == '"') {
        w = w == null ? new StringBuilder() : w;
        for (i++; line.charAt(i) != '"'; i++) {
          if (line.charAt(i) == '\\' && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
            i++;
          }
          w.append(line.charAt(i));
        }
      } else if (c == '\\') {
        w = w == null ? new StringBuilder() : w;
        w.append(line.charAt(++i));
      } else if (Character.isWhitespace(c)) {
        if (w != null) {
          out.add(w.toString());
          w = null;
        }
      } else if (c == '#' && w == null) {
        break;
      } else {
        w = w == null ? new StringBuilder() : w;
        w.append(c);
      }
    }
    if (w != null) {
      out.add(w.toString());
    }
    return out;
  }

  /**
   * The simple commands of a line: {@code for V in A B; do CMD; done} becomes CMD once per
   * value, with {@code $V} replaced; any other line is itself.
   */
  static List<String> expand(String line) {
    Matcher m = Pattern.compile("for (\\w+) in ([^;]+); do (.+); done(\\s+#.*)?").matcher(line.strip());
    if (!m.matches()) {
      return List.of(line);
    }
    List<String> out = new ArrayList<>();
    for (String v : m.group(2).strip().split("\\s+")) {
      out.add(m.group(3).replace("$" + m.group(1), v));
    }
    return out;
  }
}
