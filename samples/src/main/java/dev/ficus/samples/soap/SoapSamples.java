package dev.ficus.samples.soap;

import dev.ficus.samples.RunningSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.QName;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.annotations.SchemaValidation.SchemaValidationType;
import org.apache.cxf.interceptor.Interceptor;
import org.apache.cxf.jaxws.EndpointImpl;
import org.apache.cxf.message.Message;

/**
 * The sample legacy SOAP systems, hosted by Apache CXF on one Jetty port:
 *
 * <ul>
 *   <li>{@code /ws/customers} — CustomerService, port CustomerSoap11Port (SOAP 1.1);
 *   <li>{@code /ws/customers12} — CustomerService, port CustomerSoap12Port (SOAP 1.2);
 *   <li>{@code /ws/calculator} — CalculatorService (RPC/literal, SOAP 1.1);
 *   <li>{@code /ws/echo} — EchoService (document/literal bare, SOAP 1.1).
 * </ul>
 *
 * <p>Each endpoint serves the hand-written contract from {@code wsdl/} ({@code ?wsdl})
 * and is strict, like the legacy stacks the gateway meets: a request that is not
 * schema-valid, or whose envelope has the other SOAP version, gets a Client/Sender (or
 * VersionMismatch) fault. CustomerService also requires the {@code authHeader} SOAP
 * header carrying the token given to {@link #start}.
 *
 * <p>Test hooks ({@link #requestsReceived()}, {@link #setResponseDelay},
 * {@link #holdRequestsUntilConcurrent}, {@link #maxConcurrentRequests()}) let the gateway's
 * integration tests prove that nothing was sent, and make the services slow on purpose;
 * they are off unless a test turns them on, and the demo never does.
 *
 * <p>Each instance has its own CXF bus; {@link #close()} stops its endpoints and its
 * Jetty engine, so instances on different ports can run side by side and a port can be
 * reused after close. Thread-safe.
 */
public final class SoapSamples implements RunningSample {

  private static final String CUSTOMERS_PATH = "/ws/customers";
  private static final String CUSTOMERS12_PATH = "/ws/customers12";
  private static final String CALCULATOR_PATH = "/ws/calculator";
  private static final String ECHO_PATH = "/ws/echo";

  private final Bus bus;
  private final String baseUrl;
  private final CustomerEndpoint customers;
  private final TrafficProbe probe = new TrafficProbe();
  private final List<EndpointImpl> endpoints = new ArrayList<>();

  private SoapSamples(Bus bus, String baseUrl, CustomerEndpoint customers) {
    this.bus = bus;
    this.baseUrl = baseUrl;
    this.customers = customers;
  }

  /**
   * Publishes all sample SOAP services on {@code http://host:port/ws/...} and returns
   * once they accept requests.
   *
   * @param host      the address to listen on; 127.0.0.1 in tests and the demo
   * @param port      a free TCP port (1..65535)
   * @param authToken the token CustomerService expects in its authHeader; not empty
   * @throws IllegalArgumentException for an invalid port or an empty token
   * @throws RuntimeException         when an endpoint cannot be published (e.g. the port
   *                                  is in use); whatever was started is stopped again
   */
  public static SoapSamples start(String host, int port, String authToken) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, got " + port);
    }
    AuthTokenInterceptor auth = new AuthTokenInterceptor(authToken);
    Bus bus = BusFactory.newInstance().createBus();
    SoapSamples samples = new SoapSamples(bus, "http://" + host + ":" + port,
        new CustomerEndpoint(CustomerDirectory.seeded()));
    try {
      Contract customers = Contract.load(bus, "customers.wsdl",
          new QName("urn:example:customers:service", "CustomerService"));
      Contract calculator = Contract.load(bus, "calculator.wsdl",
          new QName("urn:example:calculator", "CalculatorService"));
      Contract echo = Contract.load(bus, "echo.wsdl",
          new QName("urn:example:echo", "EchoService"));
      samples.publish(customers, "CustomerSoap11Port", CUSTOMERS_PATH, samples.customers, auth);
      samples.publish(customers, "CustomerSoap12Port", CUSTOMERS12_PATH, samples.customers, auth);
      samples.publish(calculator, "CalculatorPort", CALCULATOR_PATH, new CalculatorEndpoint(), null);
      samples.publish(echo, "EchoPort", ECHO_PATH, new EchoEndpoint(), null);
    } catch (RuntimeException e) {
      samples.close();
      throw e;
    }
    return samples;
  }

  /** CustomerService over SOAP 1.1, e.g. {@code http://127.0.0.1:7101/ws/customers}. */
  public String customersUrl() {
    return baseUrl + CUSTOMERS_PATH;
  }

  /** CustomerService over SOAP 1.2, e.g. {@code http://127.0.0.1:7101/ws/customers12}. */
  public String customers12Url() {
    return baseUrl + CUSTOMERS12_PATH;
  }

  /** CalculatorService, e.g. {@code http://127.0.0.1:7101/ws/calculator}. */
  public String calculatorUrl() {
    return baseUrl + CALCULATOR_PATH;
  }

  /** EchoService, e.g. {@code http://127.0.0.1:7101/ws/echo}. */
  public String echoUrl() {
    return baseUrl + ECHO_PATH;
  }

  /**
   * Every URL served, in this order: {@code soap.customers}, {@code soap.customers12},
   * {@code soap.calculator}, {@code soap.echo}.
   */
  @Override
  public Map<String, String> urls() {
    Map<String, String> urls = new LinkedHashMap<>();
    urls.put("soap.customers", customersUrl());
    urls.put("soap.customers12", customers12Url());
    urls.put("soap.calculator", calculatorUrl());
    urls.put("soap.echo", echoUrl());
    return Collections.unmodifiableMap(urls);
  }

  /**
   * The visits received by {@code recordVisit} on either customer port, oldest first;
   * an immutable snapshot. One-way requests are processed before the HTTP response (202)
   * is sent, so a visit is here when the call returns.
   */
  public List<RecordedVisit> recordedVisits() {
    return customers.recordedVisits();
  }

  /** Forgets the recorded visits. */
  public void clearRecordedVisits() {
    customers.clearRecordedVisits();
  }

  /**
   * Test hook: how many SOAP requests (POSTs, valid or not) reached any port of this
   * instance so far. A test that expects the gateway to refuse a request before calling the
   * backend compares this before and after.
   */
  public long requestsReceived() {
    return probe.requestsReceived();
  }

  /**
   * Test hook: every SOAP request arriving from now on waits {@code delay} on its worker
   * thread before it is processed, like a slow legacy system; {@link Duration#ZERO} turns
   * the delay off. Also resets {@link #maxConcurrentRequests()}.
   *
   * @throws IllegalArgumentException for a negative delay
   */
  public void setResponseDelay(Duration delay) {
    probe.delay(delay);
  }

  /**
   * Test hook: every SOAP request arriving from now on waits until {@code count} requests
   * are waiting together, then all of them proceed (later ones pass at once); none waits
   * longer than {@code maxWait}. {@code count} 0 removes the barrier. A test that fires N
   * calls through a gateway proves with it that the gateway had {@code count} of them in
   * flight at once, whatever the speed of the machine. Jetty's default pool (200 threads,
   * some of them acceptors and selectors) bounds how many can wait: keep {@code count}
   * below about 190. Also resets {@link #maxConcurrentRequests()}.
   *
   * @throws IllegalArgumentException for a negative count or wait
   */
  public void holdRequestsUntilConcurrent(int count, Duration maxWait) {
    probe.holdUntilConcurrent(count, maxWait);
  }

  /**
   * Test hook: the most requests that were waiting in the {@linkplain #setResponseDelay
   * response delay} or the {@linkplain #holdRequestsUntilConcurrent barrier} at the same
   * time since either was last set (0 when requests are not held).
   */
  public int maxConcurrentRequests() {
    return probe.maxConcurrentlyHeld();
  }

  /** Stops every endpoint and the Jetty engine; idempotent. */
  @Override
  public synchronized void close() {
    for (EndpointImpl endpoint : endpoints) {
      endpoint.stop();
    }
    endpoints.clear();
    bus.shutdown(true);
  }

  /**
   * Publishes one port of a contract. Every port rejects envelopes of the other SOAP
   * version and requests that are not schema-valid: document/literal ports through CXF's
   * schema validation, RPC/literal ports through {@link RpcBodyValidationInterceptor}.
   * One-way operations are robust: a rejected one-way request gets its fault instead of
   * 202 Accepted, and an accepted one is processed before the response is sent.
   *
   * @param guard an extra interceptor for every request of the port, or null
   */
  private synchronized void publish(Contract contract, String portName, String path,
      Object implementor, Interceptor<? extends Message> guard) {
    EndpointImpl endpoint = new EndpointImpl(bus, implementor);
    endpoint.setWsdlLocation(contract.location());
    endpoint.setServiceName(contract.serviceName());
    endpoint.setEndpointName(new QName(contract.serviceName().getNamespaceURI(), portName));

    Map<String, Object> properties = new HashMap<>();
    properties.put(Message.ROBUST_ONEWAY, true);
    List<Interceptor<? extends Message>> in = endpoint.getInInterceptors();
    in.add(probe);
    in.add(new SoapVersionInterceptor(contract.soapVersion(portName)));
    if (contract.isRpc(portName)) {
      in.add(new RpcBodyValidationInterceptor(
          RpcLiteralSchemaCompiler.compile(contract.definition(), contract.binding(portName))));
    } else {
      properties.put(Message.SCHEMA_VALIDATION_ENABLED, SchemaValidationType.IN);
    }
    if (guard != null) {
      in.add(guard);
    }
    endpoint.setProperties(properties);
    endpoint.publish(baseUrl + path);
    endpoints.add(endpoint);
  }
}
