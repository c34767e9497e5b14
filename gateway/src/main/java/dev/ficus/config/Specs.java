package dev.ficus.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The parsed configuration as plain immutable data. Nothing here is compiled or resolved:
 * WSDLs are not read yet, routes are not matched. {@code *Compiler} classes turn it into the
 * runtime. Every element keeps its {@link Loc} so that compile errors can point at the YAML.
 */
public final class Specs {
  private Specs() {}

  /** Policy for JSON fields that the schema does not know. */
  public enum UnknownFields { REJECT, IGNORE }

  /** The whole configuration directory. */
  public record ConfigSpec(Path dir, GatewaySpec gateway, List<MappingSpec> mappings) {
    public ConfigSpec {
      mappings = List.copyOf(mappings);
    }
  }

  /** {@code gateway.yaml}: listener and defaults. */
  public record GatewaySpec(
      Loc loc, String host, int port, long maxBodyBytes, long maxResponseBytes,
      Duration defaultTimeout, UnknownFields unknownFields) {
    public static GatewaySpec defaults(Loc loc) {
      return new GatewaySpec(loc, "127.0.0.1", 8080, 1024 * 1024, 16L * 1024 * 1024,
          Duration.ofSeconds(10), UnknownFields.REJECT);
    }
  }

  /** One mapping file: a backend and the REST operations it serves. */
  public record MappingSpec(
      Loc loc, Path file, SoapBackendSpec soap, MappingOptions options, List<OperationSpec> operations) {
    public MappingSpec {
      operations = List.copyOf(operations);
    }
  }

  /** Mapping-wide options; operations may override {@code unknownFields}. */
  public record MappingOptions(UnknownFields unknownFields, boolean preciseNumbersAsStrings) {}

  /** A SOAP backend: which WSDL, service and port, and where to send calls. */
  public record SoapBackendSpec(
      Loc loc, String wsdl, Loc wsdlLoc, String service, Loc serviceLoc, String port, Loc portLoc,
      String endpoint, Loc endpointLoc, Duration timeout, Map<String, YNode> headers) {
    public SoapBackendSpec {
      headers = Map.copyOf(headers);
    }
  }

  /** One REST operation: {@code METHOD /path/{var}} calling one backend operation. */
  public record OperationSpec(
      Loc loc, String method, String path, Loc routeLoc, String call, Loc callLoc, Duration timeout,
      RequestSpec request, ResponseSpec response, List<FaultRule> faults, UnknownFields unknownFields) {
    public OperationSpec {
      faults = List.copyOf(faults);
    }
  }

  /** Where a request value comes from. */
  public enum SourceKind { PATH, QUERY, HEADER, BODY }

  /**
   * One assignment: the element at {@code target} (dotted path inside the request element;
   * empty for the element itself) takes the value of {@code source}.
   */
  public record Binding(Loc loc, List<String> target, SourceKind source, List<String> sourcePath) {
    public Binding {
      target = List.copyOf(target);
      sourcePath = List.copyOf(sourcePath);
    }
  }

  /** The request assignments of an operation; empty means "the JSON body is the request". */
  public record RequestSpec(Loc loc, List<Binding> bindings) {
    public RequestSpec {
      bindings = List.copyOf(bindings);
    }
  }

  /** Which part of the reply to return, and JSON field renames (dotted path → new name). */
  public record ResponseSpec(Loc loc, List<String> select, Loc selectLoc, List<Rename> renames) {
    public ResponseSpec {
      select = List.copyOf(select);
      renames = List.copyOf(renames);
    }
  }

  public record Rename(Loc loc, List<String> path, String to) {
    public Rename {
      path = List.copyOf(path);
    }
  }

  /** A fault (declared fault name, detail element or fault code) mapped to an HTTP status. */
  public record FaultRule(Loc loc, String fault, int status) {}
}
