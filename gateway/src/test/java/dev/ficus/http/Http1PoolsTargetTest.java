package dev.ficus.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** Where a URL's connections go: IP literals at once, host names only through a lookup off the IO thread. */
class Http1PoolsTargetTest {
  /** Runs nothing: shows whether a lookup was asked for. */
  private static final class Recording implements Executor {
    final List<Runnable> tasks = new ArrayList<>();

    @Override
    public void execute(Runnable r) {
      tasks.add(r);
    }
  }

  @Test
  void ipLiteralsNeedNoLookup() {
    Recording lookups = new Recording();
    InetSocketAddress v4 = new Http1Pools.Target(URI.create("http://127.0.0.1:7000/x")).address(lookups);
    InetSocketAddress v6 = new Http1Pools.Target(URI.create("http://[::1]:7001")).address(lookups);
    assertThat(v4.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(v4.getPort()).isEqualTo(7000);
    assertThat(v6.getAddress().isLoopbackAddress()).isTrue();
    assertThat(lookups.tasks).isEmpty();
    assertThat(new Http1Pools.Target(URI.create("http://[::1]:7001")).hostHeader()).isEqualTo("[::1]:7001");
  }

  @Test
  void aHostNameIsLookedUpOnTheExecutorGivenAndThenKept() {
    Recording lookups = new Recording();
    Http1Pools.Target t = new Http1Pools.Target(URI.create("http://localhost:7002"));
    assertThat(t.address(lookups)).as("nothing known before the lookup").isNull();
    List<Object> results = new ArrayList<>();
    t.resolve(lookups, results::add);
    assertThat(results).as("the caller's thread does not look up").isEmpty();
    lookups.tasks.remove(0).run();
    assertThat(results).singleElement().isInstanceOf(InetSocketAddress.class);
    InetSocketAddress a = t.address(lookups);
    assertThat(a.getAddress().isLoopbackAddress()).isTrue();
    assertThat(a.getPort()).isEqualTo(7002);
    assertThat(lookups.tasks).as("a fresh address is not looked up again").isEmpty();
  }
}
