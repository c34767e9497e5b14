package dev.ficus.soap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.http.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponsePlanTest {
  private static String apply(ResponsePlan plan, String reply) throws Exception {
    JsonNode out = plan.apply(Json.MAPPER.readTree(reply));
    return Json.MAPPER.writeValueAsString(out);
  }

  private static ResponsePlan.Rename rename(String path, String to) {
    return new ResponsePlan.Rename(List.of(path.split("\\.")), to);
  }

  @Test
  void noSelectReturnsTheWholeReply() throws Exception {
    assertThat(apply(new ResponsePlan(List.of(), List.of()), "{\"a\":1}")).isEqualTo("{\"a\":1}");
  }

  @Test
  void selectReturnsTheNamedMember() throws Exception {
    ResponsePlan plan = new ResponsePlan(List.of("customer"), List.of());

    assertThat(apply(plan, "{\"customer\":{\"id\":1},\"other\":2}")).isEqualTo("{\"id\":1}");
  }

  @Test
  void selectFollowsADottedPath() throws Exception {
    ResponsePlan plan = new ResponsePlan(List.of("result", "customer"), List.of());

    assertThat(apply(plan, "{\"result\":{\"customer\":[1,2]}}")).isEqualTo("[1,2]");
  }

  @Test
  void selectOfAnAbsentMemberIsNull() throws Exception {
    ResponsePlan plan = new ResponsePlan(List.of("customer", "address"), List.of());

    assertThat(apply(plan, "{\"other\":1}")).isEqualTo("null");
  }

  @Test
  void renameKeepsTheMemberWhereItWas() throws Exception {
    ResponsePlan plan = new ResponsePlan(List.of(), List.of(rename("firstName", "givenName")));

    assertThat(apply(plan, "{\"id\":1,\"firstName\":\"Ada\",\"lastName\":\"Lovelace\"}"))
        .isEqualTo("{\"id\":1,\"givenName\":\"Ada\",\"lastName\":\"Lovelace\"}");
  }

  @Test
  void renameAppliesToEveryItemOfAnArray() throws Exception {
    ResponsePlan plan = new ResponsePlan(List.of("customer"), List.of(rename("lastName", "surname")));

    assertThat(apply(plan, "{\"customer\":[{\"lastName\":\"A\",\"id\":1},{\"id\":2,\"lastName\":\"B\"}]}"))
        .isEqualTo("[{\"surname\":\"A\",\"id\":1},{\"id\":2,\"surname\":\"B\"}]");
  }

  @Test
  void renameReachesIntoNestedArrays() throws Exception {
    ResponsePlan plan = new ResponsePlan(List.of("customer"), List.of(rename("address.postalCode", "zip")));

    assertThat(apply(plan, """
        {"customer": [
          {"id": 1, "address": [{"city": "a", "postalCode": "1", "country": "x"}, {"postalCode": "2"}]},
          {"id": 2, "address": []}
        ]}"""))
        .isEqualTo("[{\"id\":1,\"address\":[{\"city\":\"a\",\"zip\":\"1\",\"country\":\"x\"},{\"zip\":\"2\"}]},"
            + "{\"id\":2,\"address\":[]}]");
  }

  @Test
  void renameOfAnAbsentMemberChangesNothing() throws Exception {
    ResponsePlan plan = new ResponsePlan(List.of(), List.of(rename("email", "mail"), rename("a.b", "c")));

    assertThat(apply(plan, "{\"id\":1,\"a\":null}")).isEqualTo("{\"id\":1,\"a\":null}");
  }

  @Test
  void severalRenamesApplyInTurn() throws Exception {
    ResponsePlan plan = new ResponsePlan(List.of(), List.of(rename("a", "x"), rename("b", "y")));

    assertThat(apply(plan, "{\"a\":1,\"b\":2,\"c\":3}")).isEqualTo("{\"x\":1,\"y\":2,\"c\":3}");
  }
}
