package dev.ficus.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ficus.http.Json;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemRendererTest {
  private final ProblemRenderer renderer = new ProblemRenderer(Json.MAPPER);

  private JsonNode render(GatewayError e, String instance) throws Exception {
    return Json.MAPPER.readTree(renderer.render(e, instance));
  }

  @Test
  void invalidRequestHasEveryStandardMemberAndTheFieldErrors() throws Exception {
    GatewayError e = GatewayError.invalid("The request does not fit the backend's schema (2 problems)", List.of(
        new GatewayError.FieldError("/firstName", "is required"),
        new GatewayError.FieldError("query:limit", "expected xs:int")));

    JsonNode p = render(e, "/api/customers");

    assertThat(p.get("type").textValue()).isEqualTo("urn:ficus:problem:invalid-request");
    assertThat(p.get("title").textValue()).isEqualTo("Invalid request");
    assertThat(p.get("status").intValue()).isEqualTo(400);
    assertThat(p.get("detail").textValue()).isEqualTo("The request does not fit the backend's schema (2 problems)");
    assertThat(p.get("instance").textValue()).isEqualTo("/api/customers");
    assertThat(p.get("retryable").booleanValue()).isFalse();
    assertThat(p.get("errors").toString()).isEqualTo("[{\"pointer\":\"/firstName\",\"detail\":\"is required\"},"
        + "{\"pointer\":\"query:limit\",\"detail\":\"expected xs:int\"}]");
  }

  @Test
  void membersComeInTheDocumentedOrder() throws Exception {
    JsonNode p = render(GatewayError.invalid("d", List.of(new GatewayError.FieldError("/a", "b"))), "/x");

    assertThat(p.fieldNames()).toIterable()
        .containsExactly("type", "title", "status", "detail", "instance", "retryable", "errors");
  }

  @Test
  void absentDetailInstanceAndErrorsAreLeftOut() throws Exception {
    GatewayError e = new GatewayError(GatewayError.Code.NOT_FOUND, 404, "Not found", null, false, null, null, null);

    JsonNode p = render(e, null);

    assertThat(p.fieldNames()).toIterable().containsExactly("type", "title", "status", "retryable");
  }

  @Test
  void faultExtensionsAreRenderedAsJson() throws Exception {
    Map<String, Object> ext = new LinkedHashMap<>();
    ext.put("faultCode", "Client");
    ext.put("faultSubcodes", List.of("NotFound"));
    ext.put("fault", "CustomerNotFound");
    ext.put("faultDetail", JsonNodeFactory.instance.objectNode().put("customerId", 999).put("message", "none"));
    GatewayError e = new GatewayError(GatewayError.Code.BACKEND_FAULT, 404, "Backend fault: CustomerNotFound",
        "Customer 999 not found", false, null, ext, null);

    JsonNode p = render(e, "/api/customers/999");

    assertThat(p.get("type").textValue()).isEqualTo("urn:ficus:problem:backend-fault");
    assertThat(p.get("status").intValue()).isEqualTo(404);
    assertThat(p.get("faultCode").textValue()).isEqualTo("Client");
    assertThat(p.get("faultSubcodes").toString()).isEqualTo("[\"NotFound\"]");
    assertThat(p.get("fault").textValue()).isEqualTo("CustomerNotFound");
    assertThat(p.get("faultDetail").toString()).isEqualTo("{\"customerId\":999,\"message\":\"none\"}");
  }

  @Test
  void decimalExtensionIsWrittenExactlyWithoutExponent() throws Exception {
    GatewayError e = GatewayError.of(GatewayError.Code.BAD_GATEWAY, "x")
        .withExtensions(Map.of("limit", new BigDecimal("1E+3"), "exact", new BigDecimal("0.10000000000000000001")));

    String s = new String(renderer.render(e, null), java.nio.charset.StandardCharsets.UTF_8);

    assertThat(s).contains("\"limit\":1000").contains("\"exact\":0.10000000000000000001");
  }

  @Test
  void retryableFollowsTheCode() throws Exception {
    assertThat(render(GatewayError.of(GatewayError.Code.GATEWAY_TIMEOUT, "slow"), null).get("retryable").booleanValue())
        .isTrue();
    assertThat(render(GatewayError.of(GatewayError.Code.GATEWAY_TIMEOUT, "slow"), null).get("status").intValue())
        .isEqualTo(504);
    assertThat(render(GatewayError.of(GatewayError.Code.MALFORMED_JSON, "bad"), null).get("retryable").booleanValue())
        .isFalse();
  }

  @Test
  void methodNotAllowedSaysWhatIsAllowed() throws Exception {
    JsonNode p = render(GatewayError.methodNotAllowed("PATCH", List.of("GET", "PUT")), "/a");

    assertThat(p.get("type").textValue()).isEqualTo("urn:ficus:problem:method-not-allowed");
    assertThat(p.get("status").intValue()).isEqualTo(405);
    assertThat(p.get("detail").textValue()).isEqualTo("Method PATCH is not allowed here; allowed: GET, PUT");
  }

  @Test
  void withStatusChangesOnlyTheStatus() throws Exception {
    JsonNode p = render(GatewayError.of(GatewayError.Code.BACKEND_FAULT, "d").withStatus(409), null);

    assertThat(p.get("status").intValue()).isEqualTo(409);
    assertThat(p.get("type").textValue()).isEqualTo("urn:ficus:problem:backend-fault");
  }

  @Test
  void textIsEscapedAsJson() throws Exception {
    JsonNode p = render(GatewayError.of(GatewayError.Code.BAD_GATEWAY, "quote \" and\nnewline </script>"), null);

    assertThat(p.get("detail").textValue()).isEqualTo("quote \" and\nnewline </script>");
  }

  @Test
  void everyCodeHasAStableTypeUri() {
    assertThat(GatewayError.Code.BACKEND_UNAVAILABLE.typeUri()).isEqualTo("urn:ficus:problem:backend-unavailable");
    assertThat(GatewayError.Code.PAYLOAD_TOO_LARGE.typeUri()).isEqualTo("urn:ficus:problem:payload-too-large");
    assertThat(GatewayError.Code.INTERNAL.typeUri()).isEqualTo("urn:ficus:problem:internal");
  }
}
