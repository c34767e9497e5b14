package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.samples.grpc.InventorySample;
import dev.ficus.samples.soap.SoapSamples;
import dev.ficus.testing.GatewayProcess;
import dev.ficus.testing.SlowBodyClients;
import dev.ficus.testing.WellBehavedClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 3 of issue 13, end to end: a gateway in its own JVM with a 256 MB heap, 400 clients that
 * each declare a 1 MB body on a SOAP or a gRPC route and send a byte every two seconds
 * (reconnecting whenever they are cut), and ordinary clients calling a mapped route meanwhile.
 * Before bodies were read within limits the declared megabytes were allocated up front and the
 * gateway ran out of memory. The heap figures are printed for {@code docs/performance.md}.
 *
 * <p>Runs 20 s; {@code -Dficus.soak=true} runs it for 120 s, and {@code -Dficus.slowBodyClients=N}
 * sets the number of slow clients (400; 0 measures the ordinary clients alone).
 */
class SlowBodyLoadTest {
  private static final String TOKEN = "legacy-secret";
  private static final int SLOW_CLIENTS = Integer.getInteger("ficus.slowBodyClients", 400);
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
  private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\(\\d+M\\)");

  @TempDir
  Path config;

  @Test
  void fourHundredSlowBodyClientsLeaveTheGatewayAnsweringOthers() throws Exception {
    Duration run = Boolean.getBoolean("ficus.soak") ? Duration.ofSeconds(120) : Duration.ofSeconds(20);
    try (SoapSamples soap = SoapSamples.start(Loopback.HOST, Loopback.freePort(), TOKEN);
        InventorySample grpc = InventorySample.start(Loopback.HOST, 0)) {
      writeConfig(soap, grpc);
      Path gcLog = config.resolve("gc.log");
      try (GatewayProcess gw = GatewayProcess.start(config, "256m", "-Xlog:gc:file=" + gcLog)) {
        long baseline = liveHeapKb(gw.pid());
        SlowBodyClients slow = SlowBodyClients.start(gw.port(), List.of("/api/customers", "/v1/warehouses/main/items"),
            SLOW_CLIENTS, 1_000_000, Duration.ofSeconds(2), run.plusSeconds(2), 50_000);
        AtomicLong underLoad = new AtomicLong(-1);
        AtomicLong openAtSample = new AtomicLong();
        Thread sampler = new Thread(() -> {
          try {
            Thread.sleep(run.toMillis() / 2);
            openAtSample.set(slow.open());
            underLoad.set(liveHeapKb(gw.pid()));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, "heap-sampler");
        sampler.start();

        WellBehavedClients.Outcome others = WellBehavedClients.run(gw.baseUrl() + "/api/customers/1", 200, 4, run,
            200_000, Duration.ofSeconds(5));
        sampler.join(30_000);
        SlowBodyClients.Outcome attack = slow.await();
        boolean alive = gw.isAlive();
        String gc = Files.exists(gcLog) ? Files.readString(gcLog, StandardCharsets.UTF_8) : "";
        long peakMb = 0;
        long maxAfterMb = 0;
        int gcs = 0;
        for (Matcher m = GC_LINE.matcher(gc); m.find(); gcs++) {
          peakMb = Math.max(peakMb, Long.parseLong(m.group(1)));
          maxAfterMb = Math.max(maxAfterMb, Long.parseLong(m.group(2)));
        }
        System.out.printf("slow-body load, %d s: ordinary clients %s (%.2f %%); slow clients: %s;"
                + " live heap before %d KB, with %d slow connections open %d KB; %d GCs, heap before GC at most %d MB,"
                + " after GC at most %d MB%n",
            run.toSeconds(), others, 100 * others.successRate(), attack, baseline, openAtSample.get(),
            underLoad.get(), gcs, peakMb, maxAfterMb);

        assertThat(alive).as("the gateway is still running; its log:\n%s", gw.log()).isTrue();
        assertThat(others.successRate()).as("ordinary clients' success: %s", others).isGreaterThanOrEqualTo(0.95);
        if (SLOW_CLIENTS > 0) {
          assertThat(attack.answered(408)).as("slow bodies cut by the rate check: %s", attack).isPositive();
          assertThat(openAtSample.get()).as("slow connections open when the heap was measured")
              .isGreaterThan(SLOW_CLIENTS / 2);
        }
        assertThat(underLoad.get()).as("live heap (KB) with the slow clients connected").isPositive()
            .isLessThan(128 * 1024);
      }
    }
  }

  private void writeConfig(SoapSamples soap, InventorySample grpc) {
    ConfigFiles.write(config, "gateway.yaml", """
        ficus: gateway/v1
        """);
    ConfigFiles.customersMapping(config, soap.customersUrl(), TOKEN, """
          - route: GET /api/customers/{id}
            call: getCustomer
            request: {customerId: path.id}
            response: {select: customer}
          - route: POST /api/customers
            call: createCustomer
            request: body
            response: {select: customer}
        """);
    ConfigFiles.write(config, "inventory.yaml", """
        ficus: mapping/v1
        backend:
          grpc:
            target: 127.0.0.1:%d
            proto: "%s"
        """.formatted(grpc.port(), ConfigFiles.proto("inventory.proto")));
  }

  /** The child's heap in use right after a full GC (jcmd GC.run, then GC.heap_info), in KB; -1 if unknown. */
  private static long liveHeapKb(long pid) {
    jcmd(pid, "GC.run");
    Matcher m = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static String jcmd(long pid, String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Path out = Files.createTempFile("jcmd", ".txt");
      try {
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true)
            .redirectOutput(out.toFile()).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
        return Files.readString(out, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
