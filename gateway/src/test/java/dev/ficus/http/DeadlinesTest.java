package dev.ficus.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

/** The timeouts of one IO thread, kept in one list for one timer, on a real XNIO IO thread. */
class DeadlinesTest {
  private static XnioWorker worker;
  private static XnioIoThread io;

  /** Records when it expired, relative to when it was added. */
  private static class Probe extends Deadlines.Entry {
    final String name;
    final List<String> log;
    final CountDownLatch latch;
    long addedAt;
    volatile long expiredAfterMillis = -1;

    Probe(String name, List<String> log, CountDownLatch latch) {
      this.name = name;
      this.log = log;
      this.latch = latch;
    }

    void addFor(long millis) {
      addedAt = System.nanoTime();
      Deadlines.add(io, this, millis);
    }

    void cancel() {
      cancelDeadline();
    }

    @Override
    protected void expired() {
      expiredAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - addedAt);
      log.add(name);
      latch.countDown();
    }
  }

  @BeforeAll
  static void startWorker() throws Exception {
    worker = Xnio.getInstance().createWorker(OptionMap.create(Options.WORKER_IO_THREADS, 1));
    io = worker.getIoThread(0);
  }

  @AfterAll
  static void stopWorker() {
    worker.shutdownNow();
  }

  private static <T> T onIoThread(Supplier<T> task) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    io.execute(() -> {
      try {
        f.complete(task.get());
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    return f.get(5, TimeUnit.SECONDS);
  }

  @Test
  void entriesExpireInDeadlineOrderWhateverTheOrderTheyWereAddedIn() throws Exception {
    List<String> log = new CopyOnWriteArrayList<>();
    CountDownLatch latch = new CountDownLatch(4);
    Probe slow = new Probe("300", log, latch);
    Probe fast = new Probe("60", log, latch);
    Probe mid = new Probe("150", log, latch);
    Probe sameAsMid = new Probe("150b", log, latch);
    onIoThread(() -> {
      slow.addFor(300);
      fast.addFor(60);
      mid.addFor(150);
      sameAsMid.addFor(150);
      return null;
    });
    assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(log).containsExactly("60", "150", "150b", "300");
    for (Probe p : List.of(slow, fast, mid, sameAsMid)) {
      assertThat(p.expiredAfterMillis).as(p.name + " never before its timeout").isGreaterThanOrEqualTo(Long.parseLong(p.name.replace("b", "")));
    }
    assertThat(onIoThread(Deadlines::pending)).isZero();
  }

  @Test
  void aCancelledEntryNeverExpiresAndTheOthersStillDo() throws Exception {
    List<String> log = new CopyOnWriteArrayList<>();
    CountDownLatch latch = new CountDownLatch(2);
    Probe first = new Probe("first", log, latch);
    Probe cancelled = new Probe("cancelled", log, latch);
    Probe last = new Probe("last", log, latch);
    onIoThread(() -> {
      first.addFor(40);
      cancelled.addFor(80);
      last.addFor(120);
      cancelled.cancel();
      cancelled.cancel(); // twice is harmless
      return null;
    });
    assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(100);
    assertThat(log).containsExactly("first", "last");
  }

  @Test
  void theHeadCompletingEarlyLeavesTheNextOnTime() throws Exception {
    // The timer stays set for the first entry's deadline; when it fires with nothing due it must
    // be set again for the second.
    List<String> log = new CopyOnWriteArrayList<>();
    CountDownLatch latch = new CountDownLatch(1);
    Probe early = new Probe("early", log, latch);
    Probe later = new Probe("later", log, latch);
    onIoThread(() -> {
      early.addFor(30);
      later.addFor(200);
      early.cancel();
      return null;
    });
    assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(log).containsExactly("later");
    assertThat(later.expiredAfterMillis).isBetween(200L, 2_000L);
  }

  @Test
  void anEntryAddedAgainMovesToItsNewDeadline() throws Exception {
    List<String> log = new CopyOnWriteArrayList<>();
    CountDownLatch latch = new CountDownLatch(2);
    Probe moved = new Probe("moved", log, latch);
    Probe other = new Probe("other", log, latch);
    onIoThread(() -> {
      moved.addFor(30);
      other.addFor(100);
      moved.addFor(250);
      return null;
    });
    assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(log).containsExactly("other", "moved");
  }

  @Test
  void anExpiringEntryMayAddAnother() throws Exception {
    List<String> log = new CopyOnWriteArrayList<>();
    CountDownLatch latch = new CountDownLatch(2);
    Probe second = new Probe("second", log, latch);
    Probe first = new Probe("first", log, latch) {
      @Override
      protected void expired() {
        super.expired();
        second.addFor(50);
      }
    };
    onIoThread(() -> {
      first.addFor(20);
      return null;
    });
    assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(log).containsExactly("first", "second");
  }

  @Test
  void moreDistinctTimeoutsThanLanesStillExpireInDeadlineOrder() throws Exception {
    int n = Deadlines.MAX_LANES + 4;
    List<String> log = new CopyOnWriteArrayList<>();
    CountDownLatch latch = new CountDownLatch(n);
    List<Probe> probes = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      probes.add(new Probe(Integer.toString(400 + 30 * i), log, latch));
    }
    List<Probe> shuffled = new java.util.ArrayList<>(probes);
    java.util.Collections.shuffle(shuffled, new java.util.Random(7));
    onIoThread(() -> {
      for (Probe p : shuffled) {
        p.addFor(Long.parseLong(p.name));
      }
      return null;
    });
    assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(log).containsExactlyElementsOf(probes.stream().map(p -> p.name).toList());
    for (Probe p : probes) {
      assertThat(p.expiredAfterMillis).as(p.name).isGreaterThanOrEqualTo(Long.parseLong(p.name));
    }
  }

  @Test
  void deadlinesAreOnlySetOnTheirOwnIoThread() {
    Probe p = new Probe("p", new CopyOnWriteArrayList<>(), new CountDownLatch(1));
    assertThatThrownBy(() -> Deadlines.add(io, p, 10)).isInstanceOf(IllegalStateException.class);
  }
}
