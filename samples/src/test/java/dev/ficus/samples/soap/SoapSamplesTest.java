package dev.ficus.samples.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ficus.samples.soap.SoapExchange.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
  void requestsReceivedCountsEverySoapPostButNoWsdlDownload() {
    try (SoapSamples samples = SoapSamples.start("127.0.0.1", SoapExchange.freePort(), "t")) {
      SoapExchange.get(samples.echoUrl() + "?wsdl");
      assertThat(samples.requestsReceived()).isZero();

      SoapExchange.post11(samples.calculatorUrl(), "urn:example:calculator:add",
          SoapExchange.envelope11("", "<calc:add><a>1</a><b>2</b></calc:add>"));
      SoapExchange.post11(samples.calculatorUrl(), "urn:example:calculator:add",
          SoapExchange.envelope11("", "<calc:add><a>not a number</a></calc:add>"));

      assertThat(samples.requestsReceived()).isEqualTo(2);
    }
  }

  @Test
  void responseDelayHoldsConcurrentRequestsAndMeasuresHowManyWaitTogether() {
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try (SoapSamples samples = SoapSamples.start("127.0.0.1", SoapExchange.freePort(), "t")) {
      samples.setResponseDelay(Duration.ofMillis(300));
      long start = System.nanoTime();
      List<CompletableFuture<SoapExchange.Reply>> calls = java.util.stream.IntStream.range(0, 4)
          .mapToObj(i -> CompletableFuture.supplyAsync(() -> SoapExchange.post11(samples.calculatorUrl(),
              "urn:example:calculator:add",
              SoapExchange.envelope11("", "<calc:add><a>" + i + "</a><b>1</b></calc:add>")), callers))
          .toList();
      calls.forEach(c -> assertThat(c.join().status()).isEqualTo(200));

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
      assertThat(samples.maxConcurrentRequests()).isBetween(2, 4);
      samples.setResponseDelay(Duration.ZERO);
      assertThat(samples.maxConcurrentRequests()).isZero();
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void barrierHoldsRequestsUntilEnoughWaitTogether() {
    ExecutorService callers = Executors.newFixedThreadPool(3);
    try (SoapSamples samples = SoapSamples.start("127.0.0.1", SoapExchange.freePort(), "t")) {
      samples.holdRequestsUntilConcurrent(3, Duration.ofSeconds(20));
      long start = System.nanoTime();
      List<CompletableFuture<SoapExchange.Reply>> calls = java.util.stream.IntStream.range(0, 3)
          .mapToObj(i -> CompletableFuture.supplyAsync(() -> SoapExchange.post11(samples.calculatorUrl(),
              "urn:example:calculator:add",
              SoapExchange.envelope11("", "<calc:add><a>" + i + "</a><b>1</b></calc:add>")), callers))
          .toList();
      calls.forEach(c -> assertThat(c.join().status()).isEqualTo(200));

      assertThat(samples.maxConcurrentRequests()).isEqualTo(3);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
      samples.holdRequestsUntilConcurrent(0, Duration.ZERO);
      assertThat(samples.maxConcurrentRequests()).isZero();
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void barrierLetsAWaitingRequestGoAfterItsMaximumWait() {
    try (SoapSamples samples = SoapSamples.start("127.0.0.1", SoapExchange.freePort(), "t")) {
      samples.holdRequestsUntilConcurrent(2, Duration.ofMillis(200));

      SoapExchange.Reply reply = SoapExchange.post11(samples.calculatorUrl(), "urn:example:calculator:add",
          SoapExchange.envelope11("", "<calc:add><a>1</a><b>1</b></calc:add>"));

      assertThat(reply.status()).isEqualTo(200);
      assertThat(samples.maxConcurrentRequests()).isEqualTo(1);
    }
  }

  @Test
  void negativeResponseDelayIsRefused() {
    try (SoapSamples samples = SoapSamples.start("127.0.0.1", SoapExchange.freePort(), "t")) {
      assertThatThrownBy(() -> samples.setResponseDelay(Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void emptyTokenIsRefused() {
    assertThatThrownBy(() -> SoapSamples.start("127.0.0.1", SoapExchange.freePort(), ""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
