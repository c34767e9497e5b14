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

  /**
   * {@code gateway.yaml}: listener, defaults, upstreams and the strangler-fig route table.
   * {@code ioThreads} 0 means one per CPU ({@link #ioThreadCount()}).
   */
  public record GatewaySpec(
      Loc loc, String host, int port, long maxBodyBytes, long maxResponseBytes,
      Duration defaultTimeout, UnknownFields unknownFields, List<UpstreamSpec> upstreams, List<RouteSpec> routes,
      List<String> trustedProxies, boolean debugHeaders, AdminSpec admin, int ioThreads, Duration clientIdleTimeout,
      Duration requestHeadTimeout, EdgeLimits edge, Policies policies) {
    public GatewaySpec {
      policies = policies == null ? Policies.NONE : policies;
      upstreams = List.copyOf(upstreams);
      routes = List.copyOf(routes);
      trustedProxies = List.copyOf(trustedProxies);
    }

    public static GatewaySpec defaults(Loc loc) {
      return new GatewaySpec(loc, "127.0.0.1", 8080, 1024 * 1024, 16L * 1024 * 1024,
          Duration.ofSeconds(10), UnknownFields.REJECT, List.of(), List.of(), List.of(), false, null, 0,
          Duration.ofSeconds(75), Duration.ofSeconds(60), EdgeLimits.DEFAULTS, Policies.NONE);
    }

    /**
     * The listener's IO threads: {@code ioThreads} when set, else one per CPU this process may
     * use. Every request runs on one of them without blocking, so more threads than CPUs only
     * adds context switches (on one CPU, Undertow's own minimum of two would).
     */
    public int ioThreadCount() {
      return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    }
  }

  /**
   * The bounds that keep hostile or unlucky peers from exhausting the gateway ({@code limits:}
   * in the gateway file). Read at start; a reload keeps the running values of those that size
   * process-wide budgets ({@code maxBodyMemory}, {@code shadowMemory}, {@code shadowInFlight},
   * head limits).
   *
   * @param bodyTimeout longest gap between two reads of a request body, on every route (as
   *     nginx's {@code client_body_timeout})
   * @param minBodyRate bytes per second a request body must average once it has been arriving
   *     for {@link #BODY_RATE_GRACE} (as Kestrel's {@code MinRequestBodyDataRate}); 0 turns it off
   * @param maxBodyMemory bytes that request bodies being read by mapped routes may hold in
   *     total; 0 means the default, a quarter of the heap and at most 64 MiB
   * @param maxHeadSize largest request head (request line and headers) in bytes
   * @param maxHeaders most header fields in one request head
   * @param shadowMemory bytes that shadow copies may hold in total, over every route
   * @param shadowInFlight shadow copies in flight at once, over every route
   */
  public record EdgeLimits(Duration bodyTimeout, long minBodyRate, long maxBodyMemory, int maxHeadSize,
      int maxHeaders, long shadowMemory, int shadowInFlight) {
    public static final Duration BODY_RATE_GRACE = Duration.ofSeconds(5);
    public static final EdgeLimits DEFAULTS = new EdgeLimits(Duration.ofSeconds(60), 256, 0, 32 * 1024, 100,
        32L * 1024 * 1024, 256);

    /** {@code maxBodyMemory} with its default worked out against this JVM's heap. */
    public long bodyMemoryBytes() {
      if (maxBodyMemory > 0) {
        return maxBodyMemory;
      }
      return Math.min(64L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 4);
    }
  }

  /**
   * The admin listener (separate port; loopback by default; token required off loopback).
   *
   * @param token the bearer token every request must carry, or null
   * @param allowedHosts {@code Host} values accepted besides the loopback names (lower case,
   *     {@code name} or {@code name:port}); see {@code dev.ficus.admin.AdminRequestGuard}
   */
  public record AdminSpec(Loc loc, String host, int port, String token, List<String> allowedHosts) {
    public AdminSpec {
      allowedHosts = List.copyOf(allowedHosts);
    }

    /** Whether the listener is bound to a loopback address (where no token is required). */
    public boolean loopback() {
      return host.equals("127.0.0.1") || host.equals("::1") || host.equalsIgnoreCase("localhost");
    }
  }

  /**
   * A plain HTTP backend (the monolith, a new service). {@code urls} are balanced round-robin.
   *
   * @param timeout the longest a whole proxied exchange may take (including streaming the body)
   * @param keepHost send the client's Host header (true) or the upstream's (false)
   * @param inventory count every request it serves in the migration inventory
   * @param ignoreClientAbort keep a request going when its client leaves before the answer
   */
  /**
   * A plain HTTP backend; {@code caPem} (may be null) holds the PEM CAs trusted for its
   * {@code https://} URLs instead of the JVM's.
   */
  public record UpstreamSpec(Loc loc, String name, List<java.net.URI> urls, Duration timeout, boolean keepHost,
      int maxConnections, boolean inventory, boolean ignoreClientAbort, byte[] caPem) {
    public UpstreamSpec {
      urls = List.copyOf(urls);
    }
  }

  /** How a split picks a side from the request: header, cookie or query value. */
  public enum KeyKind { HEADER, COOKIE, QUERY, CONSUMER }

  /**
   * A request value: {@code header:X-User-Id}, {@code cookie:session}, {@code query:user}, or
   * {@code consumer} (the API consumer, see {@code dev.ficus.http.ApiConsumer}; name null).
   */
  public record RequestKey(KeyKind kind, String name) {
    @Override
    public String toString() {
      return kind == KeyKind.CONSUMER ? "consumer" : kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + name;
    }
  }

  /** One weighted target of a split. */
  public record Weighted(String target, int weight, Loc loc) {}

  /**
   * A strangler-fig route: which requests (path template, methods, host, headers, query) go
   * where ({@code to}, or a weighted {@code split} with forcing rules and stickiness), with an
   * optional shadow copy and path rewrite.
   */
  public record RouteSpec(Loc loc, String path, Loc pathLoc, List<String> methods, String host,
      Map<String, String> headers, Map<String, String> query, List<Weighted> split, List<RequestKey> force,
      RequestKey sticky, ShadowSpec shadow, String stripPrefix, Policies policies) {
    public RouteSpec {
      policies = policies == null ? Policies.NONE : policies;
      methods = List.copyOf(methods);
      headers = Map.copyOf(headers);
      query = Map.copyOf(query);
      split = List.copyOf(split);
      force = List.copyOf(force);
    }
  }

  /**
   * Copy requests to {@code to}; compare its answers with the primary's when {@code compare}.
   *
   * @param ignore JSON pointers whose values never count as differences
   * @param headers response headers compared (lower case)
   * @param redact JSON pointers whose values are masked in recorded diffs
   * @param queueSize the route's copies in flight at once, from the request's arrival to the shadow's answer
   * @param maxMemory the bytes the route's copies may hold at once; 0: only {@code limits.shadowMemory} bounds them
   * @param timeout the longest a copy may take (connect, write, answer); null: the target upstream's timeout
   */
  public record ShadowSpec(Loc loc, String to, Loc toLoc, boolean compare, List<String> ignore, double tolerance,
      List<String> headers, List<String> redact, boolean unsafeMethods, int queueSize, int samples, double percent,
      long maxMemory, Duration timeout) {
    public ShadowSpec {
      ignore = List.copyOf(ignore);
      headers = List.copyOf(headers);
      redact = List.copyOf(redact);
    }
  }

  /** One mapping file: a backend (exactly one of {@code soap}, {@code grpc}) and the REST operations it serves. */
  public record MappingSpec(
      Loc loc, Path file, SoapBackendSpec soap, GrpcBackendSpec grpc, MappingOptions options,
      List<OperationSpec> operations) {
    public MappingSpec {
      operations = List.copyOf(operations);
    }
  }

  /** Mapping-wide options; operations may override {@code unknownFields}. */
  public record MappingOptions(UnknownFields unknownFields, boolean preciseNumbersAsStrings) {}

  /**
   * Whether the text of an undeclared SOAP fault (its {@code faultstring} or {@code Reason}) may
   * reach the client: {@code HIDE} keeps it (and the detail element's name) in the log when the
   * answer is 5xx; {@code PASS} sends it as the problem's {@code detail}.
   */
  public enum FaultDetail { HIDE, PASS }

  /** A SOAP backend: which WSDL, service and port, and where to send calls. */
  public record SoapBackendSpec(
      Loc loc, String wsdl, Loc wsdlLoc, String service, Loc serviceLoc, String port, Loc portLoc,
      String endpoint, Loc endpointLoc, Duration timeout, Map<String, YNode> headers, String ca, Loc caLoc,
      FaultDetail faultDetail) {
    public SoapBackendSpec {
      headers = Map.copyOf(headers);
    }
  }

  /**
   * A gRPC backend: where to call it and where its descriptors come from — exactly one of
   * {@code proto} (.proto text, imports resolved from {@code protoPath}), {@code descriptorSet}
   * (protoc --include_imports output) or {@code reflection}. Paths are relative to the mapping
   * file's folder.
   *
   * @param target host:port, several comma-separated (balanced round-robin), or a gRPC target URI
   * @param services the services to expose; empty means every service of the source
   * @param httpRules expose the methods' google.api.http annotations as routes
   * @param rpcRoutes expose unannotated unary methods as POST /{package.Service}/{Method}
   * @param forwardHeaders request headers sent as gRPC metadata (lower case; NAME or PREFIX*)
   * @param returnHeaders response headers and trailers returned as HTTP headers (same forms)
   * @param debug the dry-run view of the transcoded request ({@code Ficus-Debug: request}); null when off
   */
  public record GrpcBackendSpec(
      Loc loc, String target, Loc targetLoc, String proto, Loc protoLoc, List<String> protoPath, Loc protoPathLoc,
      String descriptorSet, Loc descriptorSetLoc, boolean reflection, Loc reflectionLoc,
      List<String> services, Loc servicesLoc, boolean httpRules, boolean rpcRoutes, Duration timeout,
      Tls tls, Duration keepAlive, List<String> forwardHeaders, Loc forwardLoc,
      List<String> returnHeaders, Loc returnLoc, Json json, boolean directUnary, Debug debug) {
    public GrpcBackendSpec {
      protoPath = List.copyOf(protoPath);
      services = List.copyOf(services);
      forwardHeaders = List.copyOf(forwardHeaders);
      returnHeaders = List.copyOf(returnHeaders);
    }

    /**
     * {@code debug: true} or {@code debug: {redact: [...]}}: a request with {@code Ficus-Debug:
     * request} is answered with the gRPC request it would send instead of being sent;
     * {@code redact} names more headers whose values are masked there (lower case; NAME or PREFIX*).
     */
    public record Debug(Loc loc, List<String> redact, Loc redactLoc) {
      public Debug {
        redact = List.copyOf(redact);
      }
    }

    /** Proto3 JSON options of the replies: emit fields at their defaults, enums as numbers, proto names. */
    public record Json(boolean emitDefaults, boolean enumsAsNumbers, boolean originalNames) {}

    /**
     * TLS to the backend ({@code tls: true} or a map); null in the spec means plaintext. Files
     * are relative to the mapping file: {@code ca} (PEM CAs trusted instead of the JVM's),
     * {@code cert} + {@code key} (client certificate for mutual TLS, key in PKCS#8 PEM),
     * {@code authority} (the name the server's certificate must carry, when not the target's host).
     */
    public record Tls(Loc loc, String ca, Loc caLoc, String cert, Loc certLoc, String key, Loc keyLoc,
        String authority) {}
  }

  /**
   * The policies of a route, an operation, or (in the gateway file's {@code policies:}) every
   * route and operation by default. One component per policy, null when not set here: a route's
   * or operation's policy replaces the default as a whole ({@link #over}). A policy added later
   * is one more component, its record, and its stage in {@code server.RouteChains}.
   *
   * @param ip which client addresses may call ({@link IpRules})
   */
  public record Policies(Loc loc, IpRules ip) {
    public static final Policies NONE = new Policies(null, null);

    /** These policies, each falling back to {@code defaults}' where not set here. */
    public Policies over(Policies defaults) {
      if (this == NONE) {
        return defaults;
      }
      return new Policies(loc, ip != null ? ip : defaults.ip());
    }

    /** Whether {@code other} sets the same rules (where they were written does not count). */
    public boolean sameRules(Policies other) {
      return java.util.Objects.equals(ip == null ? null : List.of(ip.allow(), ip.deny()),
          other.ip == null ? null : List.of(other.ip.allow(), other.ip.deny()));
    }
  }

  /**
   * Client address rules, checked against the request context's client address (through
   * {@code trustedProxies}) before anything else of the route runs: an address in {@code deny}
   * is refused, and when {@code allow} is not empty, so is every address outside it (403).
   * Both empty ({@code ip: {}}) turns an inherited rule off.
   *
   * @param allow IPs or CIDR blocks, as written
   * @param deny IPs or CIDR blocks, as written
   */
  public record IpRules(Loc loc, List<String> allow, List<String> deny) {
    public IpRules {
      allow = List.copyOf(allow);
      deny = List.copyOf(deny);
    }

    public boolean isEmpty() {
      return allow.isEmpty() && deny.isEmpty();
    }
  }

  /**
   * One REST operation: {@code METHOD /path/{var}} calling one backend operation.
   *
   * @param soapHeaders request {@code soap:header} values: targets start with the header
   *     element's local name, sources as in {@code request:}; empty for none
   */
  public record OperationSpec(
      Loc loc, String method, String path, Loc routeLoc, String call, Loc callLoc, Duration timeout,
      RequestSpec request, ResponseSpec response, List<FaultRule> faults, UnknownFields unknownFields,
      List<Binding> soapHeaders, Policies policies) {
    public OperationSpec {
      policies = policies == null ? Policies.NONE : policies;
      faults = List.copyOf(faults);
      soapHeaders = List.copyOf(soapHeaders);
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

  /**
   * Which part of the reply to return, JSON field renames (dotted path → new name), and where
   * the reply's {@code soap:header} elements go: all into the member {@code soapHeadersInto}
   * ({@code soapHeaders: body.NAME}), or each as {@code soapHeaders} says (both empty: none).
   */
  public record ResponseSpec(Loc loc, List<String> select, Loc selectLoc, List<Rename> renames,
      String soapHeadersInto, Loc soapHeadersLoc, List<HeaderReturn> soapHeaders) {
    public ResponseSpec {
      select = List.copyOf(select);
      renames = List.copyOf(renames);
      soapHeaders = List.copyOf(soapHeaders);
    }
  }

  /**
   * A reply {@code soap:header} element (by local name) returned as the HTTP response header
   * {@code name} ({@code to} HEADER) or the JSON reply's member {@code name} ({@code to} BODY).
   */
  public record HeaderReturn(Loc loc, String element, SourceKind to, String name) {}

  public record Rename(Loc loc, List<String> path, String to) {
    public Rename {
      path = List.copyOf(path);
    }
  }

  /** A fault (declared fault name, detail element or fault code) mapped to an HTTP status. */
  public record FaultRule(Loc loc, String fault, int status) {}
}
