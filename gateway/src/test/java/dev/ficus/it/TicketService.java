package dev.ficus.it;

import jakarta.jws.WebMethod;
import jakarta.jws.WebParam;
import jakarta.jws.WebResult;
import jakarta.jws.WebService;
import jakarta.xml.ws.Holder;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.jaxws.EndpointImpl;

/**
 * A code-first JAX-WS service of the tests, hosted by CXF, whose contract has {@code soap:header}
 * parts both ways: {@code open} reads the {@code caller} (complex) and {@code trace} (simple)
 * request headers and echoes them in its reply body, and answers the {@code session} (complex)
 * and {@code serverVersion} (simple) output headers through JAX-WS {@code mode=OUT} holders.
 * CXF writes the WSDL ({@code ?wsdl}); the same implementation is published over SOAP 1.1 and
 * 1.2. Runs on CXF's worker threads; thread-safe.
 */
final class TicketService implements AutoCloseable {
  static final String NS = "urn:ficus:test:tickets";

  private final Bus bus = BusFactory.newInstance().createBus();
  private final EndpointImpl soap11;
  private final EndpointImpl soap12;
  private final String base;

  private TicketService(String base) {
    this.base = base;
    this.soap11 = publish("/ws/tickets", jakarta.xml.ws.soap.SOAPBinding.SOAP11HTTP_BINDING);
    this.soap12 = publish("/ws/tickets12", jakarta.xml.ws.soap.SOAPBinding.SOAP12HTTP_BINDING);
  }

  static TicketService start() {
    return new TicketService("http://" + Loopback.HOST + ":" + Loopback.freePort());
  }

  private EndpointImpl publish(String path, String binding) {
    EndpointImpl e = new EndpointImpl(bus, new Tickets());
    e.setBindingUri(binding);
    e.publish(base + path);
    return e;
  }

  String soap11Url() {
    return base + "/ws/tickets";
  }

  String soap12Url() {
    return base + "/ws/tickets12";
  }

  @Override
  public void close() {
    soap11.stop();
    soap12.stop();
    bus.shutdown(true);
  }

  /** The {@code caller} request header. */
  public static final class Caller {
    public String user;
    public int tenant;
  }

  /** The {@code session} reply header. */
  public static final class Session {
    public String id;
    public int remaining;
  }

  /** The reply body: what the service made of the request, headers included. */
  public static final class Ticket {
    public long number;
    public String subject;
    public String openedBy;
    public int tenant;
    public String trace;
  }

  /** The implementation; CXF calls it on its worker threads. */
  @WebService(name = "Tickets", serviceName = "TicketService", portName = "TicketPort", targetNamespace = NS)
  public static final class Tickets {
    private final AtomicInteger numbers = new AtomicInteger();

    @WebMethod
    @WebResult(name = "ticket")
    public Ticket open(@WebParam(name = "subject") String subject,
        @WebParam(name = "caller", header = true) Caller caller,
        @WebParam(name = "trace", header = true) String trace,
        @WebParam(name = "session", header = true, mode = WebParam.Mode.OUT) Holder<Session> session,
        @WebParam(name = "serverVersion", header = true, mode = WebParam.Mode.OUT) Holder<Integer> version) {
      Ticket t = new Ticket();
      t.number = numbers.incrementAndGet();
      t.subject = subject;
      t.openedBy = caller == null ? null : caller.user;
      t.tenant = caller == null ? -1 : caller.tenant;
      t.trace = trace;
      Session s = new Session();
      s.id = "session-of-" + (caller == null ? "nobody" : caller.user);
      s.remaining = 100 - (int) t.number;
      session.value = s;
      version.value = 7;
      return t;
    }
  }
}
