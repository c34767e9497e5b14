package dev.ficus.soap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ficus.config.Specs;
import dev.ficus.error.GatewayError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultPlanTest {
  private static final SoapOperation.Fault NOT_FOUND = Wsdls.customers11("getCustomer").faults().get(0);
  private static final JsonNode DETAIL = JsonNodeFactory.instance.objectNode().put("customerId", 999);

  /** A plan that passes undeclared faults' text, as {@code faultDetail: pass}: the status rules alone. */
  private static FaultPlan pass(Map<String, Integer> rules) {
    return new FaultPlan("getCustomer", rules, Specs.FaultDetail.PASS);
  }

  private static FaultPlan hide(Map<String, Integer> rules) {
    return new FaultPlan("getCustomer", rules, Specs.FaultDetail.HIDE);
  }

  private static SoapReply.Fault declared(String code) {
    return new SoapReply.Fault(code, List.of(), "Customer 999 not found", NOT_FOUND, DETAIL,
        "{urn:example:customers:v1}customerNotFound");
  }

  private static SoapReply.Fault undeclared(String code, String detailElement) {
    return new SoapReply.Fault(code, List.of(), "boom", null, null, detailElement);
  }

  @Test
  void declaredFaultMappedByItsWsdlNameTakesThatStatus() {
    GatewayError e = pass(Map.of("CustomerNotFound", 404)).toError(declared("Client"), "r-1");

    assertThat(e.status()).isEqualTo(404);
    assertThat(e.code()).isEqualTo(GatewayError.Code.BACKEND_FAULT);
    assertThat(e.title()).isEqualTo("Backend fault: CustomerNotFound");
    assertThat(e.detail()).isEqualTo("Customer 999 not found");
    assertThat(e.retryable()).isFalse();
    assertThat(e.extensions()).containsEntry("faultCode", "Client").containsEntry("fault", "CustomerNotFound")
        .containsEntry("faultDetail", DETAIL);
  }

  @Test
  void declaredFaultMayBeMappedByItsDetailElementName() {
    assertThat(pass(Map.of("customerNotFound", 410)).toError(declared("Client"), "r-1").status()).isEqualTo(410);
  }

  @Test
  void ruleForTheDeclaredFaultWinsOverTheRuleForTheCode() {
    FaultPlan plan = pass(Map.of("Client", 400, "CustomerNotFound", 404));

    assertThat(plan.toError(declared("Client"), "r-1").status()).isEqualTo(404);
  }

  @Test
  void declaredFaultWithoutItsOwnRuleFallsBackToTheRuleForTheCode() {
    assertThat(pass(Map.of("Client", 422)).toError(declared("Client"), "r-1").status()).isEqualTo(422);
  }

  @Test
  void unmappedDeclaredFaultIs500AndNotRetryable() {
    GatewayError e = pass(Map.of()).toError(declared("Client"), "r-1");

    assertThat(e.status()).isEqualTo(500);
    assertThat(e.code()).isEqualTo(GatewayError.Code.BACKEND_FAULT);
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void unmappedUndeclaredFaultIs502AndRetryable() {
    GatewayError e = pass(Map.of()).toError(undeclared("Server", null), "r-1");

    assertThat(e.status()).isEqualTo(502);
    assertThat(e.code()).isEqualTo(GatewayError.Code.BAD_GATEWAY);
    assertThat(e.title()).isEqualTo("Backend SOAP fault");
    assertThat(e.retryable()).isTrue();
    assertThat(e.extensions()).containsOnlyKeys("faultCode");
  }

  @Test
  void unmappedUndeclaredClientSideFaultsAre400BackendFaultsAndNotRetryable() {
    for (String code : List.of("Client", "Client.Authentication", "Sender")) {
      GatewayError e = hide(Map.of()).toError(undeclared(code, null), "r-1");

      assertThat(e.status()).as(code).isEqualTo(400);
      assertThat(e.code()).as(code).isEqualTo(GatewayError.Code.BACKEND_FAULT);
      assertThat(e.title()).as(code).isEqualTo("Backend rejected the request");
      assertThat(e.detail()).as("a 4xx keeps the backend's text").isEqualTo("boom");
      assertThat(e.retryable()).as(code).isFalse();
      assertThat(e.extensions()).containsEntry("faultCode", code);
    }
  }

  @Test
  void aClientFaultMappedToA5xxIsStillNotRetryable() {
    GatewayError e = pass(Map.of("Client", 502)).toError(undeclared("Client", null), "r-1");

    assertThat(e.status()).isEqualTo(502);
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void undeclaredFaultMappedByCodeToA4xxIsNotRetryable() {
    GatewayError e = pass(Map.of("Client", 400)).toError(undeclared("Client", null), "r-1");

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void undeclaredFaultMappedByCodeToA5xxStaysRetryable() {
    GatewayError e = pass(Map.of("Receiver", 503)).toError(undeclared("Receiver", null), "r-1");

    assertThat(e.status()).isEqualTo(503);
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void undeclaredDetailIsNamedButNotCopied() {
    GatewayError e = pass(Map.of()).toError(undeclared("Server", "{urn:x}stackTrace"), "r-1");

    assertThat(e.extensions().get("faultDetail").toString()).isEqualTo("{\"element\":\"{urn:x}stackTrace\"}");
  }

  @Test
  void soap12SubcodesAreCarried() {
    SoapReply.Fault f = new SoapReply.Fault("Sender", List.of("NotFound", "Gone"), "r", null, null, null);

    assertThat(pass(Map.of()).toError(f, "r-1").extensions()).containsEntry("faultSubcodes",
        List.of("NotFound", "Gone"));
  }

  @Test
  void emptyReasonIsReplacedBySaying() {
    SoapReply.Fault f = new SoapReply.Fault("Server", List.of(), "", null, null, null);

    assertThat(pass(Map.of()).toError(f, "r-1").detail()).isEqualTo("(no reason given)");
  }

  @Test
  void hidingKeepsTheTextOfAnUndeclared5xxFaultFromTheClientAndNamesTheRequest() {
    GatewayError e = hide(Map.of("Server", 503)).toError(undeclared("Server", "{urn:x}stackTrace"), "r-7");

    assertThat(e.status()).isEqualTo(503);
    assertThat(e.detail()).doesNotContain("boom").contains("getCustomer").endsWith("request id r-7");
    assertThat(e.extensions()).containsEntry("requestId", "r-7").containsEntry("faultCode", "Server")
        .doesNotContainKey("faultDetail");
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void hidingLeavesDeclaredFaultsAndUndeclared4xxAnswersAsTheyWere() {
    FaultPlan plan = hide(Map.of("Client", 400));

    assertThat(plan.toError(declared("Server"), "r-1")).isEqualTo(pass(Map.of("Client", 400)).toError(declared("Server"), "r-1"));
    assertThat(plan.toError(undeclared("Client", null), "r-1").detail()).isEqualTo("boom");
  }
}
