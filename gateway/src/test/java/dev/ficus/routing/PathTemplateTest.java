package dev.ficus.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathTemplateTest {
  @Test
  void literalAndVariableSegmentsAreParsedInOrder() {
    PathTemplate t = PathTemplate.parse("/api/customers/{id}/visits/{visitId}");

    assertThat(t.segments()).containsExactly(
        new PathTemplate.Segment("api", null), new PathTemplate.Segment("customers", null),
        new PathTemplate.Segment(null, "id"), new PathTemplate.Segment("visits", null),
        new PathTemplate.Segment(null, "visitId"));
    assertThat(t.variables()).containsExactly("id", "visitId");
    assertThat(t.shape()).isEqualTo("/api/customers/{}/visits/{}");
    assertThat(t.text()).isEqualTo("/api/customers/{id}/visits/{visitId}");
  }

  @Test
  void rootHasNoSegments() {
    assertThat(PathTemplate.parse("/").segments()).isEmpty();
    assertThat(PathTemplate.parse("/").shape()).isEqualTo("/");
  }

  @Test
  void trailingSlashIsIgnored() {
    assertThat(PathTemplate.parse("/a/b/").shape()).isEqualTo("/a/b");
  }

  @Test
  void templatesDifferingOnlyInVariableNamesHaveTheSameShape() {
    assertThat(PathTemplate.parse("/a/{x}").shape()).isEqualTo(PathTemplate.parse("/a/{y}").shape());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      api/customers        | the path must start with '/'
      /a//b                | the path has an empty segment ('//')
      //                   | the path has an empty segment ('//')
      /a/{}                | '{}' is not a valid variable; use {name} with letters, digits, _
      /a/{1id}             | '{1id}' is not a valid variable; use {name} with letters, digits, _
      /a/{my-id}           | '{my-id}' is not a valid variable; use {name} with letters, digits, _
      /a/{id}/b/{id}       | variable {id} appears twice
      /a/id{id}            | 'id{id}': variables and wildcards must be whole segments, like /{id}, /* or /**
      /a/{id}.json         | '{id}.json': variables and wildcards must be whole segments, like /{id}, /* or /**
      /a/{id               | '{id': variables and wildcards must be whole segments, like /{id}, /* or /**
      /a/id}               | 'id}': variables and wildcards must be whole segments, like /{id}, /* or /**
      """)
  void malformedTemplatesAreRejectedWithAMessageForTheAuthor(String text, String message) {
    assertThatThrownBy(() -> PathTemplate.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
