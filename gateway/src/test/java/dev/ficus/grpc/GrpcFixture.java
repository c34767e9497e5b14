package dev.ficus.grpc;

import dev.ficus.server.GatewayServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Test support: a configuration directory next to a copy of the repository's {@code proto/}
 * folder (so mappings say {@code proto: ../proto/inventory.proto}, like the demo), a gateway
 * started on an ephemeral loopback port, and a JDK HTTP client.
 */
final class GrpcFixture {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private GrpcFixture() {}

  /** The repository's top folder (the one holding proto/ and gateway/). */
  static Path repository() {
    Path p = Path.of("").toAbsolutePath();
    for (int i = 0; i < 5 && p != null; i++) {
      if (Files.isDirectory(p.resolve("proto")) && Files.isDirectory(p.resolve("gateway"))) {
        return p;
      }
      p = p.getParent();
    }
    throw new IllegalStateException("cannot find the repository's proto/ folder from " + Path.of("").toAbsolutePath());
  }

  /** Copies proto/ to {@code root}/proto and returns {@code root}/config (created, empty). */
  static Path workspace(Path root) {
    copyTree(repository().resolve("proto"), root.resolve("proto"));
    Path config = root.resolve("config");
    try {
      Files.createDirectories(config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return config;
  }

  static void copyTree(Path from, Path to) {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path dir, String name, String text) {
    try {
      Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes one inventory mapping per unary transport, {@code direct.yaml} ({@code directUnary:
   * true}) and {@code channel.yaml} (grpc-java's channel), to the backend on {@code port};
   * {@code operations} is the YAML list under {@code operations:}, with {@code TRANSPORT} standing
   * for the transport's name (a route prefix, so that one gateway serves both).
   */
  static void writeTransportMappings(Path dir, int port, String operations) {
    writeTransportMappings(dir, port, "", operations);
  }

  /**
   * As {@link #writeTransportMappings(Path, int, String)}, with {@code grpcKeys} (YAML lines
   * indented by four spaces, each ending in a newline) added under {@code backend.grpc}.
   */
  static void writeTransportMappings(Path dir, int port, String grpcKeys, String operations) {
    for (String transport : java.util.List.of("direct", "channel")) {
      write(dir, transport + ".yaml", """
          ficus: mapping/v1
          backend:
            grpc:
              target: 127.0.0.1:%d
              proto: ../proto/inventory.proto
              httpRules: false
              directUnary: %s
          %soperations:
          """.formatted(port, transport.equals("direct"), grpcKeys) + operations.replace("TRANSPORT", transport));
    }
  }

  /**
   * A method of {@code type} named {@code fullName} ({@code pkg.Service/Method}) whose messages
   * are raw bytes both ways, for grpc-java servers of a test that answer bytes of their choosing.
   */
  static io.grpc.MethodDescriptor<byte[], byte[]> rawMethod(String fullName, io.grpc.MethodDescriptor.MethodType type) {
    io.grpc.MethodDescriptor.Marshaller<byte[]> raw = GrpcMappingCompiler.ReplyBytes.INSTANCE;
    return io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder(raw, raw).setType(type).setFullMethodName(fullName)
        .build();
  }

  static GatewayServer start(Path config) {
    return GatewayServer.start(config, name -> null, "127.0.0.1", 0);
  }

  static GatewayServer start(Path config, Map<String, String> env) {
    return GatewayServer.start(config, env::get, "127.0.0.1", 0);
  }

  static HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return HTTP.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpRequest.Builder request(GatewayServer gw, String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port() + pathAndQuery));
  }

  static HttpResponse<String> get(GatewayServer gw, String pathAndQuery, String... headers) {
    HttpRequest.Builder b = request(gw, pathAndQuery).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b);
  }

  static HttpResponse<String> call(GatewayServer gw, String method, String pathAndQuery, String json,
      String... headers) {
    HttpRequest.Builder b = request(gw, pathAndQuery).method(method, json == null
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b);
  }
}
