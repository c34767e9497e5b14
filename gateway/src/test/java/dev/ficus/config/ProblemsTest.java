package dev.ficus.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemsTest {
  @Test
  void closeNameIsSuggested() {
    assertThat(Problems.didYouMean("operatons", List.of("backend", "operations", "options"))).isEqualTo("operations");
    assertThat(Problems.didYouMean("ENDPOINT", List.of("endpoint"))).isEqualTo("endpoint");
  }

  @Test
  void farNameIsNotSuggested() {
    assertThat(Problems.didYouMean("zebra", List.of("backend", "operations"))).isNull();
  }

  @Test
  void suggestionListsSortedChoicesWhenNothingIsClose() {
    assertThat(Problems.suggestion("zebra", List.of("listen", "defaults", "limits")))
        .isEqualTo("; expected one of: defaults, limits, listen");
    assertThat(Problems.suggestion("zebra", List.of())).isEmpty();
  }

  @Test
  void longListOfChoicesIsCut() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      many.add("choice" + (char) ('a' + i) + "xxxxxxxx");
    }

    assertThat(Problems.suggestion("zzz", many)).endsWith(", …").contains("choiceaxxxxxxxx").doesNotContain("choicetxxxxxxxx");
  }

  @Test
  void problemsAreSortedByFileThenLineThenColumn() {
    Problems p = new Problems();
    p.add(new Loc("b.yaml", 1, 1), "4");
    p.add(new Loc("a.yaml", 10, 1), "3");
    p.add(new Loc("a.yaml", 2, 9), "2");
    p.add(new Loc("a.yaml", 2, 3), "1");

    assertThat(p.sorted()).extracting(ConfigProblem::message).containsExactly("1", "2", "3", "4");
    assertThat(p.sorted().get(0).toString()).isEqualTo("a.yaml:2:3: 1");
  }

  @Test
  void locationWithoutLineIsJustTheFile() {
    assertThat(Loc.of("dir").toString()).isEqualTo("dir");
  }
}
