package dev.ficus.routing;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route lookup cost against the size of the table (issue 4: it must grow with the path's
 * length, not with the number of routes). The table holds {@code routes} rules of the
 * strangler-fig kind ({@code /svcN/items/{id}}, with conditions on every tenth) plus a
 * catch-all {@code /**}; the looked-up paths are the same in both sizes. Setup checks each
 * outcome, so no number is measured on a wrong path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class RouterScaleBenchmark {
  @Param({"10", "10000"})
  public int routes;

  private Router<String> router;

  @Setup
  public void setUp() {
    Router.Builder<String> b = new Router.Builder<>();
    b.add(Set.of(), PathTemplate.parse("/**"), Router.Conditions.NONE, 1, "monolith", "catch-all");
    for (int i = 0; i < routes; i++) {
      Router.Conditions c = i % 10 == 0
          ? new Router.Conditions(null, java.util.Map.of("x-canary", "1"), java.util.Map.of())
          : Router.Conditions.NONE;
      b.add(Set.of("GET"), PathTemplate.parse("/svc" + i + "/items/{id}"), c, 1, "svc" + i, "r" + i);
      b.add(Set.of("GET"), PathTemplate.parse("/svc" + i + "/items/{id}/parts/*"), Router.Conditions.NONE, 1,
          "parts" + i, "p" + i);
    }
    router = b.build();
    check(lookupShort(), "svc7");
    check(lookupDeep(), "parts7");
    check(lookupMiss(), "monolith");
  }

  private static void check(Router.Result<String> r, String expected) {
    if (!(r instanceof Router.Found<String> f) || !f.target().equals(expected)) {
      throw new IllegalStateException("expected " + expected + ", got " + r);
    }
  }

  @Benchmark
  public Router.Result<String> lookupShort() {
    return router.lookup("GET", "/svc7/items/42");
  }

  @Benchmark
  public Router.Result<String> lookupDeep() {
    return router.lookup("GET", "/svc7/items/42/parts/9");
  }

  @Benchmark
  public Router.Result<String> lookupMiss() {
    return router.lookup("GET", "/legacy/reports/2024/03.csv");
  }
}
