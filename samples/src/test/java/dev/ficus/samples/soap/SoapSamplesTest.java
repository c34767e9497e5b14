package dev.ficus.samples.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ficus.samples.soap.SoapExchange.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class SoapSamplesTest {

  @Test
  void servesTheHandWrittenContractsWithTheirImports() {
    try (SoapSamples samples = SoapSamples.start("127.0.0.1", SoapExchange.freePort(), "t")) {
      Reply wsdl = SoapExchange.get(samples.customersUrl() + "?wsdl");
      Reply iface = SoapExchange.get(samples.customersUrl() + "?wsdl=customers-interface.wsdl");
      Reply xsd = SoapExchange.get(samples.customersUrl() + "?xsd=customers.xsd");

      assertThat(wsdl.body()).contains("customers-interface.wsdl", "CustomerSoap12Port");
      assertThat(iface.body()).contains("customers.xsd", "CustomerPortType");
      assertThat(xsd.body()).contains("customers-common.xsd");
      assertThat(SoapExchange.get(samples.calculatorUrl() + "?wsdl").body())
          .contains("style=\"rpc\"");
      assertThat(SoapExchange.get(samples.echoUrl() + "?wsdl").body()).contains("legacyCode");
    }
  }

  @Test
  void closeReleasesThePortForANewInstance() throws IOException {
    int port = SoapExchange.freePort();
    SoapSamples.start("127.0.0.1", port, "t").close();

    try (SoapSamples again = SoapSamples.start("127.0.0.1", port, "t")) {
      assertThat(SoapExchange.get(again.echoUrl() + "?wsdl").status()).isEqualTo(200);
    }
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(socket.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void twoInstancesRunSideBySide() {
    try (SoapSamples first = SoapSamples.start("127.0.0.1", SoapExchange.freePort(), "t");
        SoapSamples second = SoapSamples.start("127.0.0.1", SoapExchange.freePort(), "t")) {
      assertThat(SoapExchange.get(first.echoUrl() + "?wsdl").status()).isEqualTo(200);
      assertThat(SoapExchange.get(second.echoUrl() + "?wsdl").status()).isEqualTo(200);
      assertThat(first.urls()).containsOnlyKeys(
          "soap.customers", "soap.customers12", "soap.calculator", "soap.echo");
    }
  }

  @Test
  void busyPortFailsTheStart() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> SoapSamples.start("127.0.0.1", taken.getLocalPort(), "t"))
          .isInstanceOf(RuntimeException.class);
    }
  }

  @Test
  void emptyTokenIsRefused() {
    assertThatThrownBy(() -> SoapSamples.start("127.0.0.1", SoapExchange.freePort(), ""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
