package dev.ficus.bench.camel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.rest.RestBindingMode;

/**
 * The baseline of docs/performance.md: what a Java team would otherwise write for the demo's
 * {@code GET /api/customers/{id}} — Camel's REST DSL on {@code platform-http} served by Vert.x, a SOAP
 * envelope from a template, {@code camel-http} (Apache HttpClient 5, pooled keep-alive) to the
 * same CXF service, and Jackson XML → JSON for the reply (body → getCustomerResponse → customer).
 * No schema: the id is checked with a regex only, and unlike Ficus the reply is not typed
 * (numbers stay strings, a single address stays an object, a SOAP fault is a plain 500).
 *
 * <p>{@code java -cp target/classes:$(cat target/classpath.txt) dev.ficus.bench.camel.CamelBaseline
 * --port 19402 --soap-url http://127.0.0.1:19400/ws/customers --token legacy-secret}
 */
public final class CamelBaseline {
  private CamelBaseline() {}

  public static void main(String[] args) throws Exception {
    String port = option(args, "--port", "18081");
    String soapUrl = option(args, "--soap-url", "http://127.0.0.1:7101/ws/customers");
    String token = option(args, "--token", "legacy-secret");
    VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
    server.setBindHost("127.0.0.1");
    server.setBindPort(Integer.parseInt(port));
    CamelContext camel = new DefaultCamelContext();
    camel.addService(new VertxPlatformHttpServer(server));
    camel.addRoutes(new CustomerRoute(soapUrl, token));
    camel.start();
    Runtime.getRuntime().addShutdownHook(new Thread(camel::stop, "camel-shutdown"));
    System.out.println("Camel baseline listening on http://127.0.0.1:" + port);
    System.out.println("READY");
    System.out.flush();
    Thread.currentThread().join();
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  /** GET /api/customers/{id} → getCustomer → the customer as JSON. */
  static final class CustomerRoute extends RouteBuilder {
    private static final XmlMapper XML = new XmlMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String soapUrl;
    private final String token;

    CustomerRoute(String soapUrl, String token) {
      this.soapUrl = soapUrl;
      this.token = token;
    }

    @Override
    public void configure() {
      restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);
      rest("/api/customers").get("/{id}").produces("application/json").to("direct:getCustomer");

      from("direct:getCustomer")
          .validate(header("id").regex("\\d{1,18}"))
          .process(this::envelope)
          .removeHeaders("*", "SOAPAction")
          .setHeader(Exchange.HTTP_METHOD, constant("POST"))
          .setHeader(Exchange.CONTENT_TYPE, constant("text/xml; charset=UTF-8"))
          .to(soapUrl + "?throwExceptionOnFailure=true")
          .process(CustomerRoute::toJson);
    }

    private void envelope(Exchange ex) {
      String id = ex.getMessage().getHeader("id", String.class);
      ex.getMessage().setHeader("SOAPAction", "\"urn:example:customers:getCustomer\"");
      ex.getMessage().setBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
          + "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\""
          + " xmlns:c=\"urn:example:customers:v1\"><soap:Header><c:authHeader><c:token>" + token
          + "</c:token></c:authHeader></soap:Header><soap:Body><c:getCustomer><c:customerId>" + id
          + "</c:customerId></c:getCustomer></soap:Body></soap:Envelope>");
    }

    private static void toJson(Exchange ex) throws Exception {
      JsonNode envelope = XML.readTree(ex.getMessage().getBody(byte[].class));
      JsonNode customer = envelope.path("Body").path("getCustomerResponse").path("customer");
      ex.getMessage().removeHeaders("*");
      ex.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
      ex.getMessage().setBody(JSON.writeValueAsBytes(customer));
    }
  }
}
