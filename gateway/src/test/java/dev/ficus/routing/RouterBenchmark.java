package dev.ficus.routing;

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
 * Route lookup in a table of 206 routes: the demo's six plus 200 generated ones of the same
 * shapes ({@code /api/<resource>/{id}}, {@code /api/<resource>/{id}/<child>/{childId}}, …), so
 * the trie has realistic fan-out at the second segment. Setup checks that each looked-up path
 * gives the expected outcome.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RouterBenchmark {
  private Router<String> router;

  @Setup
  public void setUp() {
    Router.Builder<String> b = new Router.Builder<>();
    add(b, "GET", "/api/customers/{id}");
    add(b, "GET", "/api/customers");
    add(b, "POST", "/api/customers");
    add(b, "POST", "/api/customers/{id}/visits");
    add(b, "GET", "/api/calculator/add");
    add(b, "POST", "/api/calculator/divide");
    for (int i = 0; i < 50; i++) {
      String r = "/api/resource" + i;
      add(b, "GET", r);
      add(b, "GET", r + "/{id}");
      add(b, "PUT", r + "/{id}");
      add(b, "GET", r + "/{id}/items/{itemId}");
    }
    router = b.build();
    expect(demoRoute(), Router.Found.class);
    expect(deepRoute(), Router.Found.class);
    expect(unknownPath(), Router.NotFound.class);
  }

  private static void add(Router.Builder<String> b, String method, String path) {
    if (b.add(method, PathTemplate.parse(path), method + " " + path, path) != null) {
      throw new IllegalStateException("duplicate route " + method + " " + path);
    }
  }

  private static void expect(Router.Result<String> r, Class<?> kind) {
    if (!kind.isInstance(r)) {
      throw new IllegalStateException("expected " + kind.getSimpleName() + " but got " + r);
    }
  }

  /** The demo route of the end-to-end load test. */
  @Benchmark
  public Router.Result<String> demoRoute() {
    return router.lookup("GET", "/api/customers/1001");
  }

  /** Four segments, two variables. */
  @Benchmark
  public Router.Result<String> deepRoute() {
    return router.lookup("GET", "/api/resource42/abc-123/items/7");
  }

  /** A miss at the second segment (the 404 path). */
  @Benchmark
  public Router.Result<String> unknownPath() {
    return router.lookup("GET", "/api/nothing-here/1");
  }
}
