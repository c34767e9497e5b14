package dev.ficus.testing;

import jakarta.annotation.Resource;
import jakarta.xml.ws.Endpoint;
import jakarta.xml.ws.Provider;
import jakarta.xml.ws.Service;
import jakarta.xml.ws.ServiceMode;
import jakarta.xml.ws.WebServiceContext;
import jakarta.xml.ws.WebServiceProvider;
import jakarta.xml.ws.handler.MessageContext;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.xml.transform.Source;
import javax.xml.transform.stream.StreamSource;

/**
 * The {@code add} operation of {@code wsdl/calculator.wsdl} (rpc/literal) as a real CXF service
 * on 127.0.0.1, answering {@code result = 3} to every call and recording the HTTP request headers
 * of each, lower-cased: for tests of what the gateway sends a SOAP backend besides the envelope.
 */
public final class RecordingCalculator implements AutoCloseable {
  private final Endpoint endpoint;
  private final String url;
  private final Recorder recorder = new Recorder();

  public RecordingCalculator(int port) {
    url = "http://127.0.0.1:" + port + "/ws/calculator";
    endpoint = Endpoint.publish(url, recorder);
  }

  public String url() {
    return url;
  }

  /** The HTTP headers of the next call received, waiting at most 10 s. */
  public Map<String, List<String>> next() {
    try {
      Map<String, List<String>> h = recorder.received.poll(10, TimeUnit.SECONDS);
      if (h == null) {
        throw new AssertionError("no SOAP call reached " + url + " within 10 s");
      }
      return h;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    endpoint.stop();
  }

  /** CXF calls it on its own worker threads. */
  @WebServiceProvider(serviceName = "CalculatorService", portName = "CalculatorPort",
      targetNamespace = "urn:example:calculator")
  @ServiceMode(Service.Mode.PAYLOAD)
  public static final class Recorder implements Provider<Source> {
    final LinkedBlockingQueue<Map<String, List<String>>> received = new LinkedBlockingQueue<>(1000);

    @Resource
    private WebServiceContext context;

    @Override
    @SuppressWarnings("unchecked")
    public Source invoke(Source request) {
      Map<String, List<String>> headers = (Map<String, List<String>>) context.getMessageContext()
          .get(MessageContext.HTTP_REQUEST_HEADERS);
      Map<String, List<String>> h = new TreeMap<>();
      headers.forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
      received.offer(h);
      return new StreamSource(new StringReader(
          "<c:addResponse xmlns:c=\"urn:example:calculator\"><result>3</result></c:addResponse>"));
    }
  }
}
