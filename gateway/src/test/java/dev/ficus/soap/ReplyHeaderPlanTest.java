package dev.ficus.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ficus.error.GatewayError;
import dev.ficus.error.GatewayException;
import dev.ficus.http.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplyHeaderPlanTest {
  private static ObjectNode json(String s) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree(s);
  }

  private static final ReplyHeaderPlan PLAN = new ReplyHeaderPlan(null, List.of(
      new ReplyHeaderPlan.Target("session", false, "_session"),
      new ReplyHeaderPlan.Target("version", true, "X-Version"),
      new ReplyHeaderPlan.Target("codes", true, "X-Codes")));

  @Test
  void membersAreAddedAndSimpleHeadersBecomeHttpHeaders() throws Exception {
    ObjectNode headers = json("{\"session\": {\"id\": \"s\"}, \"version\": 7, \"codes\": [1, 2]}");

    JsonNode out = PLAN.intoBody(json("{\"a\": 1}"), headers);

    assertThat(out.toString()).isEqualTo("{\"a\":1,\"_session\":{\"id\":\"s\"}}");
    assertThat(PLAN.httpHeaders(headers, "op")).containsExactly(Map.entry("X-Version", "7"),
        Map.entry("X-Codes", "1 2"));
  }

  @Test
  void aHeaderValueWithALineBreakNeverReachesTheResponseHead() throws Exception {
    ObjectNode headers = json("{\"version\": \"7\\r\\nSet-Cookie: a=b\"}");

    assertThatThrownBy(() -> PLAN.httpHeaders(headers, "op")).isInstanceOf(GatewayException.class)
        .satisfies(e -> assertThat(((GatewayException) e).error().code()).isEqualTo(GatewayError.Code.BAD_GATEWAY));
  }

  @Test
  void absentAndNilHeadersGiveNothing() throws Exception {
    ObjectNode headers = json("{\"version\": null}");

    assertThat(PLAN.httpHeaders(headers, "op")).isEmpty();
    assertThat(PLAN.intoBody(json("{}"), headers).toString()).isEqualTo("{}");
  }

  @Test
  void everyHeaderGoesUnderOneMember() throws Exception {
    ReplyHeaderPlan all = new ReplyHeaderPlan("_headers", List.of());

    assertThat(all.intoBody(json("{\"a\": 1}"), json("{\"v\": 7}")).toString())
        .isEqualTo("{\"a\":1,\"_headers\":{\"v\":7}}");
  }
}
