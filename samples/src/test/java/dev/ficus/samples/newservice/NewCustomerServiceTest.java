package dev.ficus.samples.newservice;

import static dev.ficus.samples.http.Http.get;
import static dev.ficus.samples.http.Http.header;
import static dev.ficus.samples.http.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.samples.monolith.LegacyMonolith;
import dev.ficus.samples.newservice.NewCustomerService.Endpoint;
import dev.ficus.samples.http.Http;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NewCustomerServiceTest {

  private static LegacyMonolith monolith;
  private static NewCustomerService service;

  @BeforeAll
  static void start() {
    monolith = LegacyMonolith.start("127.0.0.1", 0);
    service = NewCustomerService.start("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    service.close();
    monolith.close();
  }

  @AfterEach
  void restoreDefaults() {
    service.setDelay(Duration.ZERO);
    service.setFailing(false);
  }

  @Test
  void answersLikeTheMonolithExceptLoyaltyPointsOfCustomer3() {
    List<Long> equal = new ArrayList<>();
    for (long id = 1; id <= 6; id++) {
      HttpResponse<String> legacy = get(monolith.baseUrl() + "/api/customers/" + id);
      HttpResponse<String> fresh = get(service.baseUrl() + "/api/customers/" + id);
      assertThat(fresh.statusCode()).isEqualTo(legacy.statusCode());
      assertThat(header(fresh, "Content-Type")).isEqualTo(header(legacy, "Content-Type"));
      if (fresh.body().equals(legacy.body())) {
        equal.add(id);
      } else {
        assertThat(differingMembers(json(legacy), json(fresh))).containsExactly("loyaltyPoints");
        assertThat(json(legacy).get("loyaltyPoints").intValue()).isEqualTo(35);
        assertThat(json(fresh).get("loyaltyPoints").intValue()).isEqualTo(36);
      }
    }

    assertThat(equal).containsExactly(1L, 2L, 4L, 5L, 6L);
    assertThat(NewCustomerService.DIVERGENT_CUSTOMER_ID).isEqualTo(3);
  }

  @Test
  void errorsAreTheMonolithsErrors() {
    for (String id : List.of("42", "abc")) {
      HttpResponse<String> legacy = get(monolith.baseUrl() + "/api/customers/" + id);
      HttpResponse<String> fresh = get(service.baseUrl() + "/api/customers/" + id);

      assertThat(fresh.statusCode()).isEqualTo(legacy.statusCode()).isBetween(400, 404);
      assertThat(fresh.body()).isEqualTo(legacy.body());
    }
  }

  @Test
  void delayHoldsCustomerAnswersButNotHealth() throws Exception {
    service.setDelay(Duration.ofMillis(600));

    long started = System.nanoTime();
    CompletableFuture<HttpResponse<String>> customer = Http.CLIENT.sendAsync(
        Http.request(service.baseUrl() + "/api/customers/1").build(), BodyHandlers.ofString());
    HttpResponse<String> health = get(service.baseUrl() + "/health");
    boolean customerStillPending = !customer.isDone();
    int customerStatus = customer.get(10, TimeUnit.SECONDS).statusCode();
    long customerMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
    assertThat(customerStillPending).isTrue();
    assertThat(customerStatus).isEqualTo(200);
    assertThat(customerMillis).isGreaterThanOrEqualTo(600);
    assertThat(service.delay()).isEqualTo(Duration.ofMillis(600));
  }

  @Test
  void failingModeAnswers500UntilTurnedOff() {
    service.setFailing(true);
    HttpResponse<String> failed = get(service.baseUrl() + "/api/customers/1");
    HttpResponse<String> health = get(service.baseUrl() + "/health");
    service.setFailing(false);
    HttpResponse<String> recovered = get(service.baseUrl() + "/api/customers/1");

    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(json(failed).get("message").textValue()).isEqualTo("failure injected for tests");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(recovered.statusCode()).isEqualTo(200);
  }

  @Test
  void requestsAreCountedPerEndpoint() {
    service.resetRequestCounts();

    get(service.baseUrl() + "/api/customers/1");
    get(service.baseUrl() + "/api/customers/99");
    get(service.baseUrl() + "/health");
    get(service.baseUrl() + "/api/orders/1001");

    assertThat(service.requestCount(Endpoint.CUSTOMER)).isEqualTo(2);
    assertThat(service.requestCount(Endpoint.HEALTH)).isEqualTo(1);
    assertThat(service.unmatchedRequests()).isEqualTo(1);
    assertThat(service.totalRequests()).isEqualTo(4);
    assertThat(service.requestCounts()).containsOnlyKeys(Endpoint.CUSTOMER, Endpoint.HEALTH);
  }

  @Test
  void announcesItselfAsTheNewService() {
    assertThat(header(get(service.baseUrl() + "/health"), "Server"))
        .isEqualTo("new-customer-service/1.0");
  }

  private static List<String> differingMembers(JsonNode a, JsonNode b) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!a.get(name).equals(b.get(name))) {
        names.add(name);
      }
    }
    b.fieldNames().forEachRemaining(name -> {
      if (!a.has(name)) {
        names.add(name);
      }
    });
    return names;
  }
}
