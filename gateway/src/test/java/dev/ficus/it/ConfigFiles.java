package dev.ficus.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes configuration files for a test gateway and locates the repository's contracts.
 * WSDLs are referenced by a {@code file:} URI computed at run time from {@code ../wsdl}
 * (tests run in the {@code gateway/} module folder), never by a machine path.
 */
final class ConfigFiles {
  /** The repository's {@code wsdl/} folder. */
  static final Path WSDL_DIR = Path.of("..", "wsdl").toAbsolutePath().normalize();

  /** The repository's {@code proto/} folder. */
  static final Path PROTO_DIR = Path.of("..", "proto").toAbsolutePath().normalize();

  /** The repository's demo configuration, {@code mappings/}. */
  static final Path DEMO_MAPPINGS = Path.of("..", "mappings").toAbsolutePath().normalize();

  private ConfigFiles() {}

  /** The {@code file:} URI of a contract in the repository's {@code wsdl/} folder. */
  static String wsdl(String fileName) {
    Path p = WSDL_DIR.resolve(fileName);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("the repository has no wsdl/" + fileName);
    }
    return p.toUri().toString();
  }

  /**
   * The absolute path of a contract in the repository's {@code proto/} folder (its imports
   * resolve from there), for a mapping's {@code proto:} key.
   */
  static String proto(String fileName) {
    Path p = PROTO_DIR.resolve(fileName);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("the repository has no proto/" + fileName);
    }
    return p.toString();
  }

  /** Writes {@code text} (UTF-8) to {@code dir/fileName}, creating {@code dir}; returns the file. */
  static Path write(Path dir, String fileName, String text) {
    try {
      Files.createDirectories(dir);
      return Files.writeString(dir.resolve(fileName), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code dir/customers.yaml}: the sample CustomerService (its SOAP 1.1 port at
   * {@code endpoint}, the auth header carrying {@code token}) with {@code operations}, the YAML
   * list under {@code operations:}.
   */
  static Path customersMapping(Path dir, String endpoint, String token, String operations) {
    return write(dir, "customers.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            port: CustomerSoap11Port
            endpoint: "%s"
            headers:
              authHeader: {token: %s}
        operations:
        """.formatted(wsdl("customers.wsdl"), endpoint, token) + operations);
  }
}
