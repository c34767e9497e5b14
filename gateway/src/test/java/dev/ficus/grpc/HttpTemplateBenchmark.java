package dev.ficus.grpc;

import dev.ficus.routing.PathTemplate;
import dev.ficus.routing.Router;
import java.util.Set;
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
 * What Google's templates cost per request: {@link HttpTemplate#match} of Firestore's
 * {@code **}-in-the-middle template, and a router lookup whose first candidate's path filter
 * refuses the path (Pub/Sub's {@code :publish} route) so that it goes on to IAM's
 * {@code {resource=**}:getIamPolicy}, against the same lookup on the route that accepts at once.
 * Setup checks each outcome.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class HttpTemplateBenchmark {
  private HttpTemplate listDocuments;
  private Router<String> router;

  @Setup
  public void setUp() {
    listDocuments = HttpTemplate.parse("/v1/{parent=projects/*/databases/*/documents/*/**}/{collection_id}");
    Router.Builder<String> b = new Router.Builder<>();
    add(b, "/v1/{topic=projects/*/topics/*}:publish", "publish");
    add(b, "/v1/{resource=**}:getIamPolicy", "iam");
    router = b.build();
    check(firestoreMatch() != null && firestoreMatch()[1].equals("messages"), "ListDocuments");
    check(((Router.Found<String>) filterAccepts()).target().equals("publish"), "publish");
    check(((Router.Found<String>) filterFallsThrough()).target().equals("iam"), "iam");
  }

  private static void add(Router.Builder<String> b, String template, String name) {
    HttpTemplate t = HttpTemplate.parse(template);
    b.add(Set.of("POST"), PathTemplate.parse(t.routerPath()), Router.Conditions.NONE, 0, p -> t.match(p) != null,
        name, name);
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("unexpected outcome for " + what);
    }
  }

  /** Firestore's ListDocuments: '**' with a variable after it. */
  @Benchmark
  public String[] firestoreMatch() {
    return listDocuments.match("/v1/projects/p/databases/d/documents/rooms/r1/messages");
  }

  /** The most specific route's filter accepts. */
  @Benchmark
  public Router.Result<String> filterAccepts() {
    return router.lookup("POST", "/v1/projects/p/topics/t:publish");
  }

  /** The most specific route's filter refuses: the lookup goes on to /v1/**. */
  @Benchmark
  public Router.Result<String> filterFallsThrough() {
    return router.lookup("POST", "/v1/projects/p/topics/t:getIamPolicy");
  }
}
