package dev.ficus.soap;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.error.GatewayError;
import dev.ficus.http.Json;
import dev.ficus.xml.JsonField;
import dev.ficus.xml.JsonToXml;
import dev.ficus.xml.NamespaceScan;
import dev.ficus.xml.XsdElement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request CPU cost of the SOAP translation, both directions, on a customer record of
 * {@code wsdl/customers.wsdl} of about 2 KB of XML (nine addresses; fixtures beside this class:
 * {@code create-customer.json}, and {@code get-customer-reply.xml} — the envelope the CXF sample
 * service returns when that customer is read back).
 *
 * <p>The codec is built the way {@code SoapMappingCompiler} builds it for the demo mapping
 * (same WSDL, port, namespace prefixes, the {@code authHeader} rendered once, unknown members
 * rejected). Setup checks that both fixtures translate without errors, so the numbers are never
 * those of an error path. Run: {@code mvn -o -Pbench -DskipTests -pl gateway -am test}
 * (see {@code docs/performance.md}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EnvelopeCodecBenchmark {
  private static final RequestPlan.Inputs NO_INPUTS = new RequestPlan.Inputs() {
    @Override
    public String path(String name) {
      return null;
    }

    @Override
    public Deque<String> query(String name) {
      return new ArrayDeque<>();
    }

    @Override
    public List<String> header(String lowerCaseName) {
      return null;
    }
  };

  private EnvelopeCodec createCustomer;
  private EnvelopeCodec getCustomer;
  /** {@code request: body} of the demo's POST /api/customers. */
  private RequestPlan bodyIsRequest;
  /** {@code response: select: customer} of the demo's GET /api/customers/{id}. */
  private ResponsePlan selectCustomer;
  private byte[] requestJson;
  private JsonNode requestTree;
  private byte[] replyXml;

  @Setup
  public void setUp() throws Exception {
    WsdlDocument wsdl = WsdlDocument.read(wsdl().toUri().toString());
    WsdlDocument.PortInfo port = wsdl.port("CustomerService", "CustomerSoap11Port");
    createCustomer = codec(wsdl.operation(port, "createCustomer"));
    getCustomer = codec(wsdl.operation(port, "getCustomer"));
    bodyIsRequest = new RequestPlan(true, List.of());
    selectCustomer = new ResponsePlan(List.of("customer"), List.of());
    requestJson = resource("create-customer.json");
    requestTree = Json.MAPPER.readTree(requestJson);
    replyXml = resource("get-customer-reply.xml");

    byte[] envelope = jsonBytesToEnvelope();
    byte[] json = envelopeToJsonBytes();
    if (selectCustomer.apply(envelopeToJsonTree().body()).path("address").size() != 9) {
      throw new IllegalStateException("the reply fixture did not translate to a customer with nine addresses");
    }
    System.out.printf("%nfixtures: request %d B JSON -> %d B envelope; reply %d B envelope -> %d B JSON%n",
        requestJson.length, envelope.length, replyXml.length, json.length);
  }

  /** The demo mapping's codec settings: unknown members rejected, numbers as numbers. */
  private static EnvelopeCodec codec(SoapOperation op) {
    NamespaceScan ns = new NamespaceScan();
    for (JsonField f : op.input().body().fields()) {
      ns.add(f.element());
    }
    op.headers().forEach(ns::add);
    Map<String, String> prefixes = ns.prefixes();
    StringBuilder header = new StringBuilder();
    List<GatewayError.FieldError> errors = new ArrayList<>();
    for (XsdElement h : op.headers()) {
      new JsonToXml(prefixes, true).writeElement(h,
          Json.MAPPER.createObjectNode().put("token", "legacy-secret"), "", header, errors);
    }
    if (!errors.isEmpty()) {
      throw new IllegalStateException("authHeader does not fit the schema: " + errors);
    }
    return new EnvelopeCodec(op, prefixes, header.toString(), true, false, 64);
  }

  /** The repository's WSDL, from the module directory (Maven's working directory) or the root. */
  private static Path wsdl() {
    for (String p : List.of("../wsdl/customers.wsdl", "wsdl/customers.wsdl")) {
      if (Files.isRegularFile(Path.of(p))) {
        return Path.of(p).toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException("run from the repository root or the gateway module: wsdl/customers.wsdl not found");
  }

  private static byte[] resource(String name) {
    try (InputStream in = EnvelopeCodecBenchmark.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** JSON → envelope on an already parsed tree: the schema-driven writer alone. */
  @Benchmark
  public byte[] jsonTreeToEnvelope() {
    return createCustomer.request(requestTree);
  }

  /** JSON → envelope as a request sees it: Jackson parse, request plan, envelope bytes. */
  @Benchmark
  public byte[] jsonBytesToEnvelope() throws IOException {
    return createCustomer.request(bodyIsRequest.build(Json.MAPPER.readTree(requestJson), NO_INPUTS));
  }

  /** Envelope → JSON tree: the hardened StAX reader and the schema-driven tree builder alone. */
  @Benchmark
  public SoapReply.Success envelopeToJsonTree() throws EnvelopeCodec.NotSoapException {
    SoapReply reply = getCustomer.reply(replyXml);
    if (reply instanceof SoapReply.Success s) {
      return s;
    }
    throw new IllegalStateException("the reply fixture parsed as " + reply);
  }

  /** Envelope → JSON bytes as a reply sees it: parse, {@code select: customer}, Jackson write. */
  @Benchmark
  public byte[] envelopeToJsonBytes() throws Exception {
    return Json.MAPPER.writeValueAsBytes(selectCustomer.apply(envelopeToJsonTree().body()));
  }
}
