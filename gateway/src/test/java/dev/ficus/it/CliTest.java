package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ficus.config.ConfigException;
import dev.ficus.config.ConfigProblem;
import dev.ficus.it.FicusCli.Run;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line and start-up on invalid configurations. {@code validate} and {@code run}
 * are executed in-process ({@link FicusCli}). No backend is needed: nothing may be called.
 */
public class CliTest {
  @TempDir
  Path dir;

  /** A mapping for CustomerService with the given operations; the endpoint is never called. */
  private static String mapping(String operations) {
    return """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            service: CustomerService
            port: CustomerSoap11Port
            endpoint: http://127.0.0.1:9/ws/customers
            headers:
              authHeader:
                token: any
        operations:
        """.formatted(ConfigFiles.wsdl("customers.wsdl")) + operations;
  }

  /** "file:line:col" of the first occurrence of {@code text} in {@code yaml} (1-based). */
  private static String locationOf(String file, String yaml, String text) {
    String[] lines = yaml.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int col = lines[i].indexOf(text);
      if (col >= 0) {
        return file + ":" + (i + 1) + ":" + (col + 1);
      }
    }
    throw new IllegalArgumentException(text + " is not in the YAML");
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(Loopback.HOST, port), 1000);
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void validateReportsAMisspeltOperationWithFileLineColumnAndASuggestion() {
    String yaml = mapping("""
          - route: GET /api/customers/{id}
            call: getCustomr
            request:
              customerId: path.id
        """);
    ConfigFiles.write(dir, "customers.yaml", yaml);

    Run run = FicusCli.ficus("validate", dir.toString());

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains(locationOf("customers.yaml", yaml, "call: getCustomr")
        + ": operation 'getCustomr' is not in CustomerService/CustomerSoap11Port; did you mean 'getCustomer'?");
  }

  @Test
  void aMisspeltOperationCausesNoFollowOnProblems() {
    // The authHeader is declared by getCustomer; that the call is misspelt does not make the
    // header unused, and a second message about it would send the author on a false trail.
    ConfigFiles.write(dir, "customers.yaml", mapping("""
          - route: GET /api/customers/{id}
            call: getCustomr
            request:
              customerId: path.id
        """));

    Run run = FicusCli.ficus("validate", dir.toString());

    assertThat(run.err()).contains("getCustomr").contains("1 problem(s) found.");
  }

  @Test
  void validateReportsEveryProblemOfEveryFileAtOnce() {
    String customers = mapping("""
          - route: GET /api/customers/{id}
            call: getCustomer
            request:
              customerId: path.id
            respnse:
              select: customer
          - route: GET /api/customers
            call: findCustomers
            request:
              lastName: query.lastName
            faults:
              CustomerGone: 404
        """);
    String visits = mapping("""
          - route: POST /api/customers/{id}/visits
            call: recordVisits
        """);
    ConfigFiles.write(dir, "customers.yaml", customers);
    ConfigFiles.write(dir, "visits.yaml", visits);

    Run run = FicusCli.ficus("validate", dir.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains(locationOf("customers.yaml", customers, "respnse") + ": unknown key 'respnse'");
    assertThat(run.err()).contains(locationOf("customers.yaml", customers, "CustomerGone")
        + ": 'CustomerGone' is neither a fault of operation 'findCustomers'");
    assertThat(run.err()).contains(locationOf("visits.yaml", visits, "call: recordVisits")
        + ": operation 'recordVisits' is not in CustomerService/CustomerSoap11Port; did you mean 'recordVisit'?");
  }

  @Test
  void validateAcceptsTheDemoConfiguration() {
    Run run = FicusCli.ficus("validate", ConfigFiles.DEMO_MAPPINGS.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).containsPattern("OK, \\d+ route\\(s\\)").contains("GET /api/customers/{id}")
        .contains("POST /api/customers/{id}/visits").contains("GET /api/calculator/add");
  }

  @Test
  void runRefusesToStartOnAnInvalidConfigurationAndListensOnNothing() {
    int port = Loopback.freePort();
    ConfigFiles.write(dir, "gateway.yaml", "ficus: gateway/v1\nlisten: 127.0.0.1:" + port + "\n");
    ConfigFiles.write(dir, "customers.yaml", mapping("""
          - route: GET /api/customers/{id}
            call: getCustomr
            request:
              customerId: path.id
        """));

    Run run = FicusCli.ficus("run", "-c", dir.toString());

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("customers.yaml:").contains("getCustomr").contains("Ficus did not start");
    assertThat(listening(port)).isFalse();
  }

  @Test
  void gatewayServerStartThrowsConfigExceptionListingEveryProblem() {
    int port = Loopback.freePort();
    ConfigFiles.write(dir, "gateway.yaml", """
        ficus: gateway/v1
        listen: 127.0.0.1:%d
        limits:
          maxBodySize: lots
        """.formatted(port));
    ConfigFiles.write(dir, "customers.yaml", mapping("""
          - route: GET /api/customers/{id}
            call: getCustomr
          - route: FETCH /api/customers
            call: findCustomers
        """));

    assertThatThrownBy(() -> dev.ficus.server.GatewayServer.start(dir, Map.<String, String>of()::get, null, null))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          List<String> problems = e.problems().stream().map(ConfigProblem::toString).toList();
          assertThat(problems).hasSize(3);
          assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("gateway.yaml:4:").contains("maxBodySize"));
          assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("customers.yaml:").contains("getCustomr"));
          assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("customers.yaml:").contains("FETCH"));
          assertThat(e.getMessage()).contains("3 configuration problem(s)");
        });
    assertThat(listening(port)).isFalse();
  }

  @Test
  void duplicateRoutesAcrossTwoMappingFilesAreReportedWithBothLocations() {
    String first = mapping("""
          - route: GET /api/customers/{id}
            call: getCustomer
            request:
              customerId: path.id
        """);
    ConfigFiles.write(dir, "a-customers.yaml", first);
    ConfigFiles.write(dir, "b-customers.yaml", first);

    Run run = FicusCli.ficus("validate", dir.toString());

    String at = locationOf("a-customers.yaml", first, "route: GET");
    String again = locationOf("b-customers.yaml", first, "route: GET");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).containsPattern("(?m)^" + java.util.regex.Pattern.quote(again)
        + ": route GET /api/customers/\\{id} is already defined at " + java.util.regex.Pattern.quote(at));
  }

  @Test
  void routesDifferingOnlyInTheirVariableNamesAreDuplicates() {
    String first = mapping("""
          - route: GET /api/customers/{id}
            call: getCustomer
            request:
              customerId: path.id
        """);
    String second = mapping("""
          - route: GET /api/customers/{customerId}
            call: getCustomer
        """);
    ConfigFiles.write(dir, "a-customers.yaml", first);
    ConfigFiles.write(dir, "b-customers.yaml", second);

    Run run = FicusCli.ficus("validate", dir.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains(locationOf("b-customers.yaml", second, "route: GET"))
        .contains("already defined at " + locationOf("a-customers.yaml", first, "route: GET"));
  }

  @Test
  void aMisspeltRequestTargetIsTheOnlyProblemNotAlsoAnUnusedPathVariable() {
    String yaml = mapping("""
          - route: GET /api/customers/{id}
            call: getCustomer
            request:
              customrId: path.id
        """);
    ConfigFiles.write(dir, "customers.yaml", yaml);

    Run run = FicusCli.ficus("validate", dir.toString());

    assertThat(run.err()).contains(locationOf("customers.yaml", yaml, "customrId")
        + ": 'customrId' is not a member of the request of 'getCustomer'; did you mean 'customerId'?");
    assertThat(run.err()).doesNotContain("is not used").contains("1 problem(s) found.");
  }

  @Test
  void aBadHeaderValueIsReportedOnceAndHidesNoOtherProblem() {
    String yaml = mapping("""
          - route: GET /api/customers/{id}
            call: getCustomer
            request:
              customerId: path.id
          - route: GET /api/customers
            call: findCustomers
            request:
              lastNam: query.lastName
        """).replace("""
              authHeader:
                token: any
        """, """
              authHeader:
                token: { nested: 1 }
              traceHeadr: { id: x }
        """);
    ConfigFiles.write(dir, "customers.yaml", yaml);

    Run run = FicusCli.ficus("validate", dir.toString());

    assertThat(run.err()).containsOnlyOnce("soap header 'authHeader' /token expected xs:string");
    assertThat(run.err()).contains(locationOf("customers.yaml", yaml, "{ id: x }")
        + ": 'traceHeadr' is not a soap:header of any mapped operation");
    assertThat(run.err()).contains("'lastNam' is not a member").contains("3 problem(s) found.");
  }

  @Test
  void anUnsetVariableIsReportedOnceNotAgainAsAnEmptyEndpoint() {
    String yaml = mapping("""
          - route: GET /api/customers/{id}
            call: getCustomer
            request:
              customerId: path.id
        """).replace("http://127.0.0.1:9/ws/customers", "${FICUS_TEST_UNSET_URL}");
    ConfigFiles.write(dir, "customers.yaml", yaml);

    Run run = FicusCli.ficus("validate", dir.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains(locationOf("customers.yaml", yaml, "${FICUS_TEST_UNSET_URL}")
        + ": environment variable FICUS_TEST_UNSET_URL is not set");
    assertThat(run.err()).doesNotContain("endpoint ''").contains("1 problem(s) found.");
  }

  /** A document/literal service whose upload operation sends its file as a SwA MIME attachment. */
  private static final String SWA_WSDL = """
      <?xml version="1.0" encoding="UTF-8"?>
      <wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
          xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:mime="http://schemas.xmlsoap.org/wsdl/mime/"
          xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:example:docs"
          targetNamespace="urn:example:docs">
        <wsdl:types>
          <xsd:schema targetNamespace="urn:example:docs" elementFormDefault="qualified">
            <xsd:element name="upload"><xsd:complexType><xsd:sequence>
              <xsd:element name="name" type="xsd:string"/></xsd:sequence></xsd:complexType></xsd:element>
            <xsd:element name="uploadResponse"><xsd:complexType><xsd:sequence>
              <xsd:element name="id" type="xsd:string"/></xsd:sequence></xsd:complexType></xsd:element>
          </xsd:schema>
        </wsdl:types>
        <wsdl:message name="uploadIn">
          <wsdl:part name="body" element="tns:upload"/>
          <wsdl:part name="file" type="xsd:base64Binary"/>
        </wsdl:message>
        <wsdl:message name="uploadOut"><wsdl:part name="body" element="tns:uploadResponse"/></wsdl:message>
        <wsdl:portType name="Docs">
          <wsdl:operation name="upload"><wsdl:input message="tns:uploadIn"/><wsdl:output message="tns:uploadOut"/>
          </wsdl:operation>
        </wsdl:portType>
        <wsdl:binding name="DocsSoap" type="tns:Docs">
          <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
          <wsdl:operation name="upload">
            <soap:operation soapAction="urn:example:docs:upload"/>
            <wsdl:input>
              <mime:multipartRelated>
                <mime:part><soap:body parts="body" use="literal"/></mime:part>
                <mime:part><mime:content part="file" type="application/octet-stream"/></mime:part>
              </mime:multipartRelated>
            </wsdl:input>
            <wsdl:output><soap:body use="literal"/></wsdl:output>
          </wsdl:operation>
        </wsdl:binding>
        <wsdl:service name="DocsService">
          <wsdl:port name="DocsPort" binding="tns:DocsSoap"><soap:address location="http://127.0.0.1:9/docs"/></wsdl:port>
        </wsdl:service>
      </wsdl:definitions>
      """;

  @Test
  void anOperationWithSoapAttachmentsIsRefusedByNameAsSwaNotForItsTypeParts() throws IOException {
    java.nio.file.Files.writeString(dir.resolve("docs.wsdl"), SWA_WSDL);
    String yaml = """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: docs.wsdl
        operations:
          - route: POST /api/docs
            call: upload
        """;
    ConfigFiles.write(dir, "docs.yaml", yaml);

    Run run = FicusCli.ficus("validate", dir.toString());

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains(locationOf("docs.yaml", yaml, "call: upload") + ": operation 'upload' uses SOAP with "
        + "Attachments (SwA: mime:multipartRelated in its binding input), which Ficus does not support")
        .contains("xs:base64Binary").doesNotContain("type=");
  }

  @Test
  void anUnreachableWsdlUrlSaysSoInOneSentence() {
    String url = "http://127.0.0.1:" + Loopback.freePort() + "/ws/customers?wsdl";
    ConfigFiles.write(dir, "customers.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
        operations:
          - route: GET /api/customers/{id}
            call: getCustomer
        """.formatted(url));

    Run run = FicusCli.ficus("validate", dir.toString());

    assertThat(run.err()).contains("customers.yaml:4:5: cannot read WSDL " + url + ": the connection was refused\n")
        .doesNotContain("imported document");
  }

  @Test
  void aMissingWsdlWithAnAbsolutePathIsNotCalledRelativeAndTheNearestNameIsSuggested() throws IOException {
    java.nio.file.Files.copy(ConfigFiles.WSDL_DIR.resolve("calculator.wsdl"), dir.resolve("calculator.wsdl"));
    String given = dir.resolve("calculater.wsdl").toAbsolutePath().toString();
    ConfigFiles.write(dir, "calculator.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
        operations:
          - route: GET /api/calculator/add
            call: add
        """.formatted(given));

    Run run = FicusCli.ficus("validate", dir.toString());

    assertThat(run.err()).contains("calculator.yaml:4:5: WSDL file '" + given + "' does not exist; did you mean '"
        + dir.resolve("calculator.wsdl").toAbsolutePath() + "'?").doesNotContain("relative");
  }

  @Test
  void aMissingWsdlWithARelativePathSuggestsTheNearestNameAsWritten() throws IOException {
    java.nio.file.Files.createDirectories(dir.resolve("contracts"));
    java.nio.file.Files.copy(ConfigFiles.WSDL_DIR.resolve("calculator.wsdl"), dir.resolve("contracts/calculator.wsdl"));
    ConfigFiles.write(dir, "calculator.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: contracts/calculater.wsdl
        operations:
          - route: GET /api/calculator/add
            call: add
        """);

    Run run = FicusCli.ficus("validate", dir.toString());

    assertThat(run.err()).contains("calculator.yaml:4:5: WSDL file 'contracts/calculater.wsdl' does not exist "
        + "(relative to the mapping file's folder); did you mean 'contracts/calculator.wsdl'?");
  }

  @Test
  void theServicesToChooseFromAreListedInOrder() throws IOException {
    String wsdl = java.nio.file.Files.readString(ConfigFiles.WSDL_DIR.resolve("calculator.wsdl"));
    int from = wsdl.indexOf("<wsdl:service ");
    int to = wsdl.indexOf("</wsdl:service>") + "</wsdl:service>".length();
    String one = wsdl.substring(from, to);
    StringBuilder services = new StringBuilder();
    for (String name : List.of("Zulu", "Mike", "Alpha", "Kilo", "Bravo")) {
      services.append(one.replace("name=\"CalculatorService\"", "name=\"" + name + "\"")).append('\n');
    }
    java.nio.file.Files.writeString(dir.resolve("five.wsdl"), wsdl.substring(0, from) + services + wsdl.substring(to));
    ConfigFiles.write(dir, "calculator.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: five.wsdl
        operations:
          - route: GET /api/calculator/add
            call: add
        """);

    Run run = FicusCli.ficus("validate", dir.toString());

    assertThat(run.err()).contains("choose one with 'service:' from Alpha, Bravo, Kilo, Mike, Zulu");
  }
}
