package dev.ficus.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.http.ScriptedUpstream;
import dev.ficus.testing.GatewayProcess;
import dev.ficus.testing.WellBehavedClients;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 300 clients that each trickle a request head of ~900 KB and never finish it, against a gateway
 * in its own JVM at {@code -Xmx256m}, while ordinary clients call it: the heads are cut at
 * {@code limits.maxHeadSize} (32 KB) with 431, so the gateway holds little of them and keeps
 * answering the others. Without the cut, Undertow reads each head up to its own 1 MB limit and
 * the old generation fills.
 *
 * <p>Runs {@value #DEFAULT_SECONDS} s; {@code -Dficus.soak=true} runs it for
 * {@value #SOAK_SECONDS} s. Prints the figures that docs/performance.md records.
 */
class SlowHeaderClientsTest {
  private static final int DEFAULT_SECONDS = 20;
  private static final int SOAK_SECONDS = 300;
  private static final int HOSTILE = 300;
  private static final int HEAD_BYTES = 900 * 1024;
  /** Per connection and tick: 2.5 KB every 50 ms, ~900 KB in 18 s if nothing cuts it. */
  private static final int TRICKLE = 2_560;
  private static final long TICK_MILLIS = 50;

  @TempDir
  Path dir;

  @Test
  void threeHundredSlowHeaderClientsLeaveTheGatewayAnsweringOthers() throws Exception {
    int seconds = Boolean.getBoolean("ficus.soak") ? SOAK_SECONDS : DEFAULT_SECONDS;
    try (ScriptedUpstream upstream = new ScriptedUpstream()) {
      upstream.reply("/", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      Files.writeString(dir.resolve("gateway.yaml"), """
          ficus: gateway/v1
          upstreams:
            monolith: { url: http://127.0.0.1:%d }
          routes:
            - path: /**
              to: monolith
          """.formatted(upstream.port()));
      try (GatewayProcess gateway = GatewayProcess.start(dir, "256m")) {
        HeapSampler heap = new HeapSampler(gateway.pid());
        double baselineKb = heap.liveKb();
        SlowHeads hostile = new SlowHeads(gateway.port(), seconds);
        CompletableFuture<Void> load = CompletableFuture.runAsync(hostile::run);
        CompletableFuture<Void> sampling = CompletableFuture.runAsync(() -> heap.run(seconds + 2));
        // Let the heads grow before the ordinary clients start.
        TimeUnit.SECONDS.sleep(3);
        WellBehavedClients.Outcome ok = WellBehavedClients.run(gateway.baseUrl() + "/", 200, 4,
            Duration.ofSeconds(seconds - 4), 200_000, Duration.ofSeconds(5));
        load.get(seconds + 30, TimeUnit.SECONDS);
        sampling.get(seconds + 30, TimeUnit.SECONDS);
        assertThat(gateway.isAlive()).as("gateway alive; log:\n" + gateway.log()).isTrue();
        System.out.printf("slow-header clients: %d connections opened, %d answered 431, %d MB sent, "
                + "largest head sent before the cut %d KB; ordinary clients: %s (%.1f %%, %.0f req/s); "
                + "gateway heap: old gen peak %.1f MB, heap used peak %.1f MB, live after full GC %.1f MB before "
                + "the load and %.1f MB at its peak, of 256 MB%n",
            hostile.connections.get(), hostile.answered431.get(), hostile.bytesSent.get() >> 20,
            hostile.largestHead.get() >> 10, ok, 100 * ok.successRate(), ok.sent() / (seconds - 4.0),
            heap.oldPeakKb / 1024.0, heap.usedPeakKb / 1024.0, baselineKb / 1024.0, heap.livePeakKb / 1024.0);
        assertThat(gateway.isAlive()).as("gateway alive; log:\n" + gateway.log()).isTrue();
        assertThat(ok.successRate()).as(ok.toString()).isGreaterThanOrEqualTo(0.95);
        // Every slow head was cut with an answer, not left to grow.
        assertThat(hostile.answered431.get()).isGreaterThanOrEqualTo(HOSTILE);
        assertThat(heap.samples).as("heap samples").isPositive();
        assertThat(heap.livePeakKb).as("live heap under the load, KB").isPositive();
        // 300 heads of 900 KB would be 270 MB, twice that as Undertow's parser strings. Cut at 32 KB,
        // each costs up to ~2 x 32 KB of parser strings while it is read and for the lingering
        // close after its 431, and the closes let a few hundred more be in the gateway at once.
        assertThat(heap.livePeakKb - baselineKb).as("live heap the load added, KB").isLessThan(64 * 1024);
      }
    }
  }

  /**
   * The hostile clients, on one thread with non-blocking sockets: each tick every connection gets
   * {@link #TRICKLE} more bytes of a head that never ends; a connection the gateway closed is
   * opened again, so that 300 stay at it for the whole run. Bounded in time and in connections.
   */
  private static final class SlowHeads {
    private final int port;
    private final long end;
    final AtomicLong connections = new AtomicLong();
    final AtomicLong answered431 = new AtomicLong();
    final AtomicLong bytesSent = new AtomicLong();
    final AtomicLong largestHead = new AtomicLong();

    SlowHeads(int port, int seconds) {
      this.port = port;
      this.end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }

    private final class Conn {
      SocketChannel channel;
      long sent;
      final ByteBuffer answer = ByteBuffer.allocate(16);
      boolean counted;

      void open() throws IOException {
        channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        channel.configureBlocking(false);
        connections.incrementAndGet();
        sent = 0;
        answer.clear();
        counted = false;
        write(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: x\r\nX-Pad: ".getBytes(StandardCharsets.US_ASCII)));
      }

      void write(ByteBuffer b) throws IOException {
        int n = channel.write(b);
        sent += n;
        bytesSent.addAndGet(n);
      }

      /** One tick; false when the gateway has closed the connection. */
      boolean tick(ByteBuffer pad) throws IOException {
        int n = channel.read(answer);
        if (!counted && answer.position() >= 12) {
          counted = true;
          if (new String(answer.array(), 0, 12, StandardCharsets.US_ASCII).equals("HTTP/1.1 431")) {
            answered431.incrementAndGet();
            largestHead.accumulateAndGet(sent, Math::max);
          }
        }
        if (answer.position() == answer.capacity()) {
          answer.clear(); // the rest of the answer is not needed
        }
        if (n < 0) {
          return false;
        }
        if (sent < HEAD_BYTES) {
          pad.clear().limit((int) Math.min(TRICKLE, HEAD_BYTES - sent));
          write(pad);
        }
        return true;
      }

      void close() {
        try {
          channel.close();
        } catch (IOException e) {
          // closed anyway
        }
      }
    }

    void run() {
      ByteBuffer pad = ByteBuffer.wrap("a".repeat(TRICKLE).getBytes(StandardCharsets.US_ASCII));
      List<Conn> all = new ArrayList<>();
      long maxConnections = HOSTILE * 200L;
      try {
        for (int i = 0; i < HOSTILE; i++) {
          Conn c = new Conn();
          c.open();
          all.add(c);
        }
        while (System.nanoTime() < end) {
          long tickEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
          for (Conn c : all) {
            boolean open;
            try {
              open = c.tick(pad);
            } catch (IOException reset) {
              open = false;
            }
            if (!open) {
              c.close();
              if (connections.get() < maxConnections) {
                c.open();
              }
            }
          }
          long left = tickEnd - System.nanoTime();
          if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
          }
        }
      } catch (IOException gatewayGone) {
        // Refused: the gateway is gone (the assertions say so, with its log).
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        all.forEach(Conn::close);
      }
    }
  }

  /**
   * Samples the gateway's heap once a second with {@code jstat -gc} (the JDK's own tools, on the
   * child this test started): old generation and heap used at their peaks; and every
   * {@value #LIVE_EVERY} s what is live ({@link #liveKb}): the memory the hostile load really
   * holds, garbage aside.
   */
  private static final class HeapSampler {
    private static final int LIVE_EVERY = 5;
    private final long pid;
    volatile double oldPeakKb;
    volatile double usedPeakKb;
    volatile double livePeakKb;
    volatile int samples;

    HeapSampler(long pid) {
      this.pid = pid;
    }

    /**
     * The live heap in KB: {@code jcmd GC.class_histogram} runs a full GC and counts only what
     * survives it (its "Total" line). 0 if it cannot be read.
     */
    double liveKb() {
      try {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        p.waitFor(10, TimeUnit.SECONDS);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(out);
        if (!m.find()) {
          System.out.println("jcmd GC.class_histogram gave no total: " + out.lines().limit(3).toList());
          return 0;
        }
        return Long.parseLong(m.group(1)) / 1024.0;
      } catch (IOException e) {
        return 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
    }

    /** Heap used (eden, survivors, old) now, in KB; also records the old generation's peak. */
    private double usedKb() throws IOException, InterruptedException {
      Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
      Process p = new ProcessBuilder(jstat.toString(), "-gc", Long.toString(pid)).redirectErrorStream(true).start();
      String[] lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split("\n");
      p.waitFor(5, TimeUnit.SECONDS);
      if (lines.length != 2) {
        throw new IOException("jstat: " + String.join("\n", lines));
      }
      String[] names = lines[0].trim().split("\\s+");
      String[] values = lines[1].trim().split("\\s+");
      double used = 0;
      for (int i = 0; i < names.length && i < values.length; i++) {
        switch (names[i]) {
          case "OU" -> {
            double ou = Double.parseDouble(values[i]);
            oldPeakKb = Math.max(oldPeakKb, ou);
            used += ou;
          }
          case "S0U", "S1U", "EU" -> used += Double.parseDouble(values[i]);
          default -> { }
        }
      }
      return used;
    }

    void run(int seconds) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      long nextLive = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIVE_EVERY);
      while (System.nanoTime() < end) {
        try {
          usedPeakKb = Math.max(usedPeakKb, usedKb());
          samples++;
        } catch (IOException | NumberFormatException e) {
          System.out.println("jstat failed: " + e.getMessage());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (System.nanoTime() >= nextLive) {
          livePeakKb = Math.max(livePeakKb, liveKb());
          nextLive = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIVE_EVERY);
        }
        try {
          TimeUnit.SECONDS.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
