package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpTemplateTest {

  @Test
  void simpleVariableMatchesOneSegment() {
    HttpTemplate t = HttpTemplate.parse("/v1/items/{sku}");
    assertThat(t.match("/v1/items/hammer")).containsExactly("hammer");
    assertThat(t.match("/v1/items/hammer/x")).isNull();
    assertThat(t.match("/v1/items/")).isNull();
    assertThat(t.routerPath()).isEqualTo("/v1/items/*");
  }

  @Test
  void variableWithSegmentsCapturesThemJoinedBySlashes() {
    HttpTemplate t = HttpTemplate.parse("/v1/{name=warehouses/*/items/*}");
    assertThat(t.match("/v1/warehouses/main/items/hammer")).containsExactly("warehouses/main/items/hammer");
    assertThat(t.match("/v1/shops/main/items/hammer")).isNull();
    assertThat(t.routerPath()).isEqualTo("/v1/warehouses/*/items/*");
  }

  @Test
  void nestedFieldPathsAreVariableNames() {
    HttpTemplate t = HttpTemplate.parse("/v1/{item.name=warehouses/*/items/*}");
    assertThat(t.variables()).extracting(HttpTemplate.Variable::fieldPath).containsExactly("item.name");
  }

  @Test
  void doubleStarTakesTheRestIncludingNothing() {
    HttpTemplate t = HttpTemplate.parse("/v1/manuals/{path=**}");
    assertThat(t.match("/v1/manuals/tools/hammer.md")).containsExactly("tools/hammer.md");
    assertThat(t.match("/v1/manuals")).containsExactly("");
    assertThat(t.routerPath()).isEqualTo("/v1/manuals/**");
  }

  @Test
  void doubleStarInsideAVariableLeavesTheSegmentsAfterItToTheirOwnVariables() {
    // Firestore's ListDocuments
    HttpTemplate t = HttpTemplate.parse("/v1/{parent=projects/*/databases/*/documents/*/**}/{collection_id}");
    assertThat(t.match("/v1/projects/p/databases/d/documents/rooms/r1/messages"))
        .containsExactly("projects/p/databases/d/documents/rooms/r1", "messages");
    assertThat(t.match("/v1/projects/p/databases/d/documents/rooms/messages"))
        .containsExactly("projects/p/databases/d/documents/rooms", "messages");
    assertThat(t.match("/v1/projects/p/databases/d/documents/rooms")).as("{collection_id} needs its own segment")
        .isNull();
    assertThat(t.routerPath()).isEqualTo("/v1/projects/*/databases/*/documents/*/**");
  }

  @Test
  void doubleStarBeforeAVerbTakesEverythingUpToIt() {
    HttpTemplate t = HttpTemplate.parse("/v1/{parent=projects/*/databases/*/documents/*/**}:runQuery");
    assertThat(t.match("/v1/projects/p/databases/d/documents/a/b/c:runQuery"))
        .containsExactly("projects/p/databases/d/documents/a/b/c");
    assertThat(t.match("/v1/projects/p/databases/d/documents/a/b/c:listen")).isNull();
    assertThat(t.routerPath()).isEqualTo("/v1/projects/*/databases/*/documents/*/**");
  }

  @Test
  void verbAfterAVariableIsCheckedByTheMatcherNotTheRouter() {
    HttpTemplate t = HttpTemplate.parse("/v1/{name=warehouses/*/items/*}:stock");
    assertThat(t.verb()).isEqualTo("stock");
    assertThat(t.routerPath()).isEqualTo("/v1/warehouses/*/items/*");
    assertThat(t.match("/v1/warehouses/main/items/hammer:stock")).containsExactly("warehouses/main/items/hammer");
    assertThat(t.match("/v1/warehouses/main/items/hammer:watch")).isNull();
    assertThat(t.match("/v1/warehouses/main/items/hammer")).isNull();
  }

  @Test
  void verbAfterALiteralStaysInTheRouterPath() {
    HttpTemplate t = HttpTemplate.parse("/v1/{parent=warehouses/*}/items:import");
    assertThat(t.routerPath()).isEqualTo("/v1/warehouses/*/items:import");
    assertThat(t.match("/v1/warehouses/east/items:import")).containsExactly("warehouses/east");
  }

  @Test
  void withoutAVerbAColonIsPartOfTheValue() {
    assertThat(HttpTemplate.parse("/v1/{name}").match("/v1/a:b")).containsExactly("a:b");
  }

  @Test
  void signaturesEraseVariableNamesButKeepVerbs() {
    assertThat(HttpTemplate.parse("/v1/{a=shelves/*}").signature())
        .isEqualTo(HttpTemplate.parse("/v1/shelves/{b}").signature());
    assertThat(HttpTemplate.parse("/v1/{a}:x").signature()).isNotEqualTo(HttpTemplate.parse("/v1/{a}").signature());
  }

  @Test
  void malformedTemplatesSayWhatIsWrong() {
    assertThatThrownBy(() -> HttpTemplate.parse("v1/x")).hasMessageContaining("must start with '/'");
    assertThatThrownBy(() -> HttpTemplate.parse("/v1/{a=**}/x/{b=**}")).hasMessageContaining("more than once");
    assertThatThrownBy(() -> HttpTemplate.parse("/v1/{a=b/{c}}")).hasMessageContaining("cannot be nested");
    assertThatThrownBy(() -> HttpTemplate.parse("/v1/{a")).hasMessageContaining("not closed");
    assertThatThrownBy(() -> HttpTemplate.parse("/v1//x")).hasMessageContaining("empty segment");
    assertThatThrownBy(() -> HttpTemplate.parse("/v1/{a}/{a}")).hasMessageContaining("bound twice");
    assertThatThrownBy(() -> HttpTemplate.parse("/v1/{9a}")).hasMessageContaining("must name a field");
    assertThatThrownBy(() -> HttpTemplate.parse("/v1/{a}:")).hasMessageContaining("not a valid verb");
  }

  @Test
  void anEncodedSlashIsDecodedInAOneSegmentVariableOnly() {
    assertThat(HttpTemplate.parse("/v1/{name}").match("/v1/a%2Fb")).containsExactly("a/b");
    assertThat(HttpTemplate.parse("/v1/{path=**}").match("/v1/a%2Fb/c")).containsExactly("a%2Fb/c");
  }

  @Test
  void trailingSlashIsIgnoredLikeTheRouterDoes() {
    assertThat(HttpTemplate.parse("/v1/items/{sku}").match("/v1/items/saw/")).containsExactly("saw");
  }
}
