package dev.ficus.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlReaderTest {
  private final Problems problems = new Problems();

  private YNode read(String yaml, Map<String, String> env) {
    return new YamlReader(env::get).read("f.yaml", yaml, problems);
  }

  private YNode read(String yaml) {
    return read(yaml, Map.of());
  }

  private static YNode.YMap map(YNode n) {
    assertThat(n).isInstanceOf(YNode.YMap.class);
    return (YNode.YMap) n;
  }

  @Test
  void keysAndValuesRememberTheirLineAndColumn() {
    YNode.YMap root = map(read("""
        first: 1
        outer:
          inner: hello
          list:
            - a
            - b
        """));

    assertThat(problems.isEmpty()).isTrue();
    assertThat(root.loc()).isEqualTo(new Loc("f.yaml", 1, 1));
    assertThat(root.entries().get("first").keyLoc()).isEqualTo(new Loc("f.yaml", 1, 1));
    assertThat(root.get("first").loc()).isEqualTo(new Loc("f.yaml", 1, 8));
    YNode.YMap outer = map(root.get("outer"));
    assertThat(root.entries().get("outer").keyLoc()).isEqualTo(new Loc("f.yaml", 2, 1));
    assertThat(outer.entries().get("inner").keyLoc()).isEqualTo(new Loc("f.yaml", 3, 3));
    assertThat(outer.get("inner").loc()).isEqualTo(new Loc("f.yaml", 3, 10));
    YNode.YList list = (YNode.YList) outer.get("list");
    assertThat(list.items()).hasSize(2);
    assertThat(list.items().get(1).loc()).isEqualTo(new Loc("f.yaml", 6, 7));
  }

  @Test
  void scalarsKeepTheTypeYamlGaveThem() {
    YNode.YMap root = map(read("""
        s: text
        quoted: "42"
        n: 42
        d: 1.5
        b: true
        z: ~
        """));

    assertThat(((YNode.YScalar) root.get("s")).type()).isEqualTo(YNode.YScalar.Type.STRING);
    assertThat(((YNode.YScalar) root.get("quoted")).type()).isEqualTo(YNode.YScalar.Type.STRING);
    assertThat(((YNode.YScalar) root.get("n")).type()).isEqualTo(YNode.YScalar.Type.NUMBER);
    assertThat(((YNode.YScalar) root.get("d")).type()).isEqualTo(YNode.YScalar.Type.NUMBER);
    assertThat(((YNode.YScalar) root.get("b")).type()).isEqualTo(YNode.YScalar.Type.BOOLEAN);
    assertThat(((YNode.YScalar) root.get("z")).type()).isEqualTo(YNode.YScalar.Type.NULL);
    assertThat(root.entries().keySet()).containsExactly("s", "quoted", "n", "d", "b", "z");
  }

  @Test
  void duplicateKeyIsReportedAtTheSecondKeyNamingTheFirstLine() {
    YNode.YMap root = map(read("""
        a: 1
        b: 2
        a: 3
        """));

    assertThat(problems.sorted()).singleElement().satisfies(p -> {
      assertThat(p.loc()).isEqualTo(new Loc("f.yaml", 3, 1));
      assertThat(p.message()).contains("duplicate key 'a'").contains("line 1");
    });
    assertThat(((YNode.YScalar) root.get("a")).text()).isEqualTo("1");
  }

  @Test
  void duplicateKeysInNestedMapsAreAllReported() {
    read("""
        outer:
          x: 1
          x: 2
        other:
          y: 1
          y: 2
        """);

    assertThat(problems.sorted()).extracting(ConfigProblem::loc)
        .containsExactly(new Loc("f.yaml", 3, 3), new Loc("f.yaml", 6, 3));
  }

  @Test
  void variableIsSubstitutedFromTheEnvironment() {
    YNode.YMap root = map(read("url: http://${HOST}:${PORT}/ws", Map.of("HOST", "example.org", "PORT", "81")));

    assertThat(((YNode.YScalar) root.get("url")).text()).isEqualTo("http://example.org:81/ws");
    assertThat(problems.isEmpty()).isTrue();
  }

  @Test
  void defaultIsUsedWhenTheVariableIsUnset() {
    YNode.YMap root = map(read("url: ${URL:-http://127.0.0.1:7101/ws}"));

    assertThat(((YNode.YScalar) root.get("url")).text()).isEqualTo("http://127.0.0.1:7101/ws");
    assertThat(problems.isEmpty()).isTrue();
  }

  @Test
  void defaultIsUsedWhenTheVariableIsEmpty() {
    YNode.YMap root = map(read("url: ${URL:-fallback}", Map.of("URL", "")));

    assertThat(((YNode.YScalar) root.get("url")).text()).isEqualTo("fallback");
  }

  @Test
  void setVariableWinsOverTheDefault() {
    YNode.YMap root = map(read("url: ${URL:-fallback}", Map.of("URL", "given")));

    assertThat(((YNode.YScalar) root.get("url")).text()).isEqualTo("given");
  }

  @Test
  void emptyDefaultIsAllowed() {
    YNode.YMap root = map(read("token: ${TOKEN:-}"));

    assertThat(((YNode.YScalar) root.get("token")).text()).isEmpty();
    assertThat(problems.isEmpty()).isTrue();
  }

  @Test
  void variableValueIsInsertedLiterallyEvenWithDollarsAndBackslashes() {
    YNode.YMap root = map(read("secret: ${S}", Map.of("S", "a$1\\b${X}")));

    assertThat(((YNode.YScalar) root.get("secret")).text()).isEqualTo("a$1\\b${X}");
  }

  @Test
  void unsetVariableWithoutDefaultIsAProblemAtTheValue() {
    read("""
        ficus: gateway/v1
        listen: ${FICUS_LISTEN}
        """);

    assertThat(problems.sorted()).singleElement().satisfies(p -> {
      assertThat(p.loc()).isEqualTo(new Loc("f.yaml", 2, 9));
      assertThat(p.message()).contains("FICUS_LISTEN").contains("is not set").contains("${FICUS_LISTEN:-");
    });
  }

  @Test
  void everyUnsetVariableIsReported() {
    read("""
        a: ${ONE}
        b: ${TWO} and ${THREE}
        """);

    assertThat(problems.sorted()).extracting(ConfigProblem::message)
        .anySatisfy(m -> assertThat(m).contains("ONE"))
        .anySatisfy(m -> assertThat(m).contains("TWO"))
        .anySatisfy(m -> assertThat(m).contains("THREE"))
        .hasSize(3);
  }

  @Test
  void keysAreNotSubstituted() {
    YNode.YMap root = map(read("${KEY}: v", Map.of("KEY", "k")));

    assertThat(root.entries()).containsOnlyKeys("${KEY}");
  }

  @Test
  void syntaxErrorIsAProblemWithItsLocation() {
    YNode n = read("""
        a: 1
        b: [1, 2
        c: 3
        """);

    assertThat(n).isNull();
    assertThat(problems.sorted()).singleElement().satisfies(p -> {
      assertThat(p.loc().file()).isEqualTo("f.yaml");
      assertThat(p.loc().line()).isGreaterThanOrEqualTo(2);
      assertThat(p.message()).startsWith("YAML syntax error");
    });
  }

  @Test
  void secondYamlDocumentInTheSameFileIsReportedNotIgnored() {
    read("""
        ficus: mapping/v1
        operations: []
        ---
        ficus: mapping/v1
        operations: []
        """);

    assertThat(problems.sorted()).singleElement().satisfies(p -> assertThat(p.loc().line()).isEqualTo(3));
  }

  @Test
  void emptyFileIsAProblem() {
    assertThat(read("")).isNull();
    assertThat(problems.sorted()).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("empty"));
  }
}
