package dev.ficus.samples.monolith;

import static dev.ficus.samples.http.Http.get;
import static dev.ficus.samples.http.Http.header;
import static dev.ficus.samples.http.Http.json;
import static dev.ficus.samples.http.Http.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.samples.http.Http;
import dev.ficus.samples.http.internal.Json;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import dev.ficus.samples.monolith.LegacyMonolith.Endpoint;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LegacyMonolithTest {

  private static LegacyMonolith monolith;
  private static String base;

  @BeforeAll
  static void start() {
    monolith = LegacyMonolith.start("127.0.0.1", 0);
    base = monolith.baseUrl();
  }

  @AfterAll
  static void stop() {
    monolith.close();
  }

  @Test
  void customerIsServedAsJsonInTheGatewaysShape() {
    HttpResponse<String> response = get(base + "/api/customers/4");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(header(response, "Content-Type")).isEqualTo("application/json;charset=utf-8");
    assertThat(header(response, "Server")).isEqualTo("legacy-shop/4.2");
    JsonNode customer = json(response);
    assertThat(customer.get("version").intValue()).isEqualTo(3);
    assertThat(customer.get("id").longValue()).isEqualTo(4);
    assertThat(customer.get("lastName").textValue()).isEqualTo("Nakamura");
    assertThat(customer.get("middleName").isNull()).isTrue();
    assertThat(customer.get("createdAt").textValue()).isEqualTo("2021-09-09T10:30:00+09:00");
    assertThat(response.body()).contains("\"creditLimit\":12000.00");
    assertThat(customer.get("address")).hasSize(2);
    assertThat(customer.get("address").get(0).get("kind").textValue()).isEqualTo("WORK");
    assertThat(customer.get("tag").toString()).isEqualTo("[\"vip\",\"jp-region\"]");
  }

  @Test
  void absentOptionalMembersAreLeftOutAndListsStayArrays() {
    JsonNode mary = json(get(base + "/api/customers/2"));

    assertThat(mary.has("email")).isFalse();
    assertThat(mary.has("version")).isFalse();
    assertThat(mary.get("address").isArray()).isTrue();
    assertThat(mary.get("address")).isEmpty();
    assertThat(mary.get("tag")).isEmpty();
    assertThat(mary.get("loyaltyPoints").intValue()).isZero();
  }

  @Test
  void unknownCustomerIs404AndANonNumericIdIs400() {
    HttpResponse<String> unknown = get(base + "/api/customers/42");
    HttpResponse<String> malformed = get(base + "/api/customers/abc");

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("{\"status\":404,\"error\":\"Not Found\","
        + "\"message\":\"no customer with id 42\",\"path\":\"/api/customers/42\"}");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(json(malformed).get("message").textValue()).contains("'abc'");
  }

  @Test
  void ordersOfACustomerAreListedOldestFirstWithNumericAndUuidIds() {
    HttpResponse<String> response = get(base + "/api/orders?customer=1");

    assertThat(response.statusCode()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    json(response).forEach(order -> ids.add(order.get("id").textValue()));
    assertThat(ids).startsWith("1001", "1002", "5b0c9d1e-8a4f-4c2b-9e3a-7f1d2c6b8a90");
    assertThat(json(get(base + "/api/orders?customer=3")).toString()).isEqualTo("[]");
  }

  @Test
  void ordersNeedAKnownNumericCustomer() {
    assertThat(get(base + "/api/orders").statusCode()).isEqualTo(400);
    assertThat(get(base + "/api/orders?customer=x").statusCode()).isEqualTo(400);
    assertThat(get(base + "/api/orders?customer=99").statusCode()).isEqualTo(404);
  }

  @Test
  void orderIsFoundByNumericOrUuidIdInAnyCase() {
    JsonNode numeric = json(get(base + "/api/orders/1001"));
    JsonNode uuid = json(get(base + "/api/orders/E2A7C3F4-1B6D-4E8A-A5C9-3D0F7B2E6C15"));

    assertThat(numeric.get("customerId").longValue()).isEqualTo(1);
    assertThat(numeric.get("total").decimalValue()).isEqualTo(new BigDecimal("21.99"));
    assertThat(numeric.get("items")).hasSize(2);
    assertThat(uuid.get("id").textValue()).isEqualTo("e2a7c3f4-1b6d-4e8a-a5c9-3d0f7b2e6c15");
    assertThat(uuid.get("status").textValue()).isEqualTo("CANCELLED");
    assertThat(get(base + "/api/orders/9999").statusCode()).isEqualTo(404);
  }

  @Test
  void placedOrderIsCreatedWithAnAbsoluteLocationFromTheHostHeader() {
    HttpResponse<String> created = postJson(base + "/api/orders", """
        {"customerId": 5, "currency": "EUR",
         "items": [{"sku": "OL-0500", "quantity": 2, "unitPrice": 7.25},
                   {"sku": "X", "name": "Ex", "quantity": 1, "unitPrice": 0.5}]}""");

    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode order = json(created);
    String id = order.get("id").textValue();
    assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(header(created, "Location")).isEqualTo(base + "/api/orders/" + id);
    assertThat(order.get("status").textValue()).isEqualTo("PLACED");
    assertThat(order.get("total").decimalValue()).isEqualByComparingTo("15.00");
    assertThat(order.get("items").get(0).get("name").textValue()).isEqualTo("OL-0500");
    assertThat(json(get(header(created, "Location")))).isEqualTo(order);
    assertThat(get(base + "/api/orders?customer=5").body()).contains(id);
  }

  @Test
  void invalidOrdersAreRefusedNamingTheProblem() {
    HttpResponse<String> noItems = postJson(base + "/api/orders",
        "{\"customerId\":1,\"items\":[]}");
    HttpResponse<String> badQuantity = postJson(base + "/api/orders",
        "{\"customerId\":1,\"items\":[{\"sku\":\"A\",\"quantity\":0,\"unitPrice\":1}]}");
    HttpResponse<String> notJson = postJson(base + "/api/orders", "{\"customerId\":");
    HttpResponse<String> unknownCustomer = postJson(base + "/api/orders",
        "{\"customerId\":77,\"items\":[{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1}]}");
    HttpResponse<String> notJsonType = Http.send(Http.request(base + "/api/orders")
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")));
    HttpResponse<String> tooBig = postJson(base + "/api/orders",
        "{\"customerId\":1,\"pad\":\"" + "x".repeat(70_000) + "\"}");

    assertThat(noItems.statusCode()).isEqualTo(400);
    assertThat(json(noItems).get("message").textValue()).contains("items");
    assertThat(badQuantity.statusCode()).isEqualTo(400);
    assertThat(json(badQuantity).get("message").textValue()).contains("items[0].quantity");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(unknownCustomer.statusCode()).isEqualTo(422);
    assertThat(notJsonType.statusCode()).isEqualTo(415);
    assertThat(tooBig.statusCode()).isEqualTo(413);
  }

  @Test
  void monthlyReportIsTheSameCsvOnEveryCall() {
    HttpResponse<String> report = get(base + "/legacy/reports/2024/02.csv");

    assertThat(report.statusCode()).isEqualTo(200);
    assertThat(header(report, "Content-Type")).isEqualTo("text/csv;charset=utf-8");
    assertThat(header(report, "Content-Disposition")).contains("sales-2024-02.csv");
    List<String> lines = List.of(report.body().split("\r\n"));
    assertThat(lines).hasSize(1 + 29 + 1);
    assertThat(lines.get(0)).isEqualTo("date,orders,revenue_gbp");
    assertThat(lines.get(29)).startsWith("2024-02-29,");
    assertThat(lines.get(30)).startsWith("total,");
    assertThat(get(base + "/legacy/reports/2024/02.csv").body()).isEqualTo(report.body());
    assertThat(get(base + "/legacy/reports/2024/13.csv").statusCode()).isEqualTo(404);
    assertThat(get(base + "/legacy/reports/1999/01.csv").statusCode()).isEqualTo(404);
    assertThat(get(base + "/legacy/reports/2024/01.txt").statusCode()).isEqualTo(404);
  }

  @Test
  void healthAndHomePageAnswer() {
    HttpResponse<String> home = get(base + "/");

    assertThat(get(base + "/health").body()).isEqualTo("{\"status\":\"UP\"}");
    assertThat(home.statusCode()).isEqualTo(200);
    assertThat(header(home, "Content-Type")).isEqualTo("text/html;charset=utf-8");
    assertThat(home.body()).contains("<title>Legacy Shop</title>", "/api/customers/1");
  }

  @Test
  void unknownPathIs404AndAnotherMethodIs405() {
    HttpResponse<String> missing = get(base + "/nothing/here");
    HttpResponse<String> deleted = Http.send(Http.request(base + "/api/customers/1").DELETE());

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).get("path").textValue()).isEqualTo("/nothing/here");
    assertThat(deleted.statusCode()).isEqualTo(405);
  }

  @Test
  void echoHeadersShowsWhatArrivedWithRepeatedValuesInOrder() {
    HttpResponse<String> response = Http.send(Http.request(base + "/echo-headers?a=1&b=2")
        .header("X-Forwarded-For", "203.0.113.7")
        .header("X-Forwarded-For", "10.0.0.1")
        .header("X-Forwarded-Proto", "https")
        .header("Forwarded", "for=203.0.113.7;proto=https;host=shop.example")
        .POST(HttpRequest.BodyPublishers.ofString("ignored")));

    JsonNode echo = json(response);
    JsonNode headers = echo.get("headers");
    assertThat(echo.get("method").textValue()).isEqualTo("POST");
    assertThat(echo.get("uri").textValue()).isEqualTo("/echo-headers?a=1&b=2");
    assertThat(echo.get("protocol").textValue()).isEqualTo("HTTP/1.1");
    assertThat(echo.get("peer").textValue()).startsWith("127.0.0.1:");
    assertThat(headers.get("x-forwarded-for").toString())
        .isEqualTo("[\"203.0.113.7\",\"10.0.0.1\"]");
    assertThat(headers.get("x-forwarded-proto").get(0).textValue()).isEqualTo("https");
    assertThat(headers.get("forwarded").get(0).textValue()).contains("host=shop.example");
    assertThat(headers.get("host").get(0).textValue())
        .isEqualTo(base.substring("http://".length()));
  }

  /** The monolith strips nothing, so a header missing behind a proxy was the proxy's doing. */
  @Test
  void hopByHopHeadersAreEchoedToo() throws IOException {
    String authority = base.substring("http://".length());
    String head;
    JsonNode headers;
    try (Socket socket = new Socket("127.0.0.1", monolith.port())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(("GET /echo-headers HTTP/1.1\r\nHost: " + authority + "\r\n"
          + "Connection: keep-alive, X-Private\r\nX-Private: secret\r\n"
          + "Keep-Alive: timeout=5\r\nTE: trailers\r\n"
          + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      DataInputStream in = new DataInputStream(socket.getInputStream());
      StringBuilder text = new StringBuilder();
      while (text.indexOf("\r\n\r\n") < 0) {
        text.append((char) in.readUnsignedByte());
      }
      head = text.toString();
      Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
      assertThat(length.find()).as("Content-Length in " + head).isTrue();
      byte[] body = new byte[Integer.parseInt(length.group(1))];
      in.readFully(body);
      headers = Json.MAPPER.readTree(body).get("headers");
    }

    assertThat(head).startsWith("HTTP/1.1 200 ");
    assertThat(headers.get("connection").get(0).textValue()).isEqualTo("keep-alive, X-Private");
    assertThat(headers.get("x-private").get(0).textValue()).isEqualTo("secret");
    assertThat(headers.get("keep-alive").get(0).textValue()).isEqualTo("timeout=5");
    assertThat(headers.get("te").get(0).textValue()).isEqualTo("trailers");
    assertThat(headers.has("proxy-authorization")).isTrue();
  }

  @Test
  void requestsAreCountedPerEndpointAsTheyArrive() {
    monolith.resetRequestCounts();

    get(base + "/api/customers/1");
    get(base + "/api/customers/42");
    get(base + "/api/orders/1001");
    get(base + "/health");
    get(base + "/nope");

    assertThat(monolith.requestCount(Endpoint.CUSTOMER)).isEqualTo(2);
    assertThat(monolith.requestCount(Endpoint.ORDER)).isEqualTo(1);
    assertThat(monolith.requestCount(Endpoint.HEALTH)).isEqualTo(1);
    assertThat(monolith.requestCount(Endpoint.ORDERS_OF_CUSTOMER)).isZero();
    assertThat(monolith.unmatchedRequests()).isEqualTo(1);
    assertThat(monolith.totalRequests()).isEqualTo(5);
    assertThat(monolith.requestCounts()).containsEntry(Endpoint.CUSTOMER, 2L)
        .containsEntry(Endpoint.UPLOAD, 0L).hasSize(Endpoint.values().length);
  }
}
