package dev.ficus.grpc;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.ficus.config.Loc;
import dev.ficus.config.Problems;
import dev.ficus.config.Specs;
import dev.ficus.config.Specs.Binding;
import dev.ficus.config.Specs.GrpcBackendSpec;
import dev.ficus.config.Specs.MappingSpec;
import dev.ficus.config.Specs.OperationSpec;
import dev.ficus.config.Specs.SourceKind;
import dev.ficus.http.BodyReader;
import dev.ficus.routing.CompiledRoute;
import dev.ficus.routing.PathTemplate;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compiles gRPC mapping files into routes. Per backend: the descriptors are resolved once per
 * configuration compile (from .proto text, a descriptor set or server reflection — see
 * {@link ProtoTextLoader}, {@link DescriptorSetLoader}, {@link ReflectionLoader}); every
 * {@code google.api.http} rule (with its additional bindings), every unannotated method when
 * {@code rpcRoutes} is on, and every operation of the mapping file becomes one binding, whose
 * template, fields, body and response body are checked against the descriptors and compiled
 * into a {@link GrpcOperationHandler}.
 *
 * <p>Precedence: a mapping-file route that matches exactly the same requests (same method, same
 * template once variable names are erased, same verb) as a proto rule <em>overrides</em> it;
 * two mapping routes that match the same requests are a compile error naming both places.
 * Bindings that share a router template (e.g. {@code /v1/{name=*}} and
 * {@code /v1/{name=*}:cancel}) are served by one {@link RouteGroupHandler}, registered with a
 * router path filter so that a path none of them matches goes on to less specific routes.
 *
 * <p>Every problem is reported with the location at fault (the YAML, or the .proto line of the
 * method when the source knows it), and compilation continues so that all are reported. A
 * {@code google.api.http} rule (or generated RPC route) that cannot be served is a
 * <em>warning</em> naming the method and the rule, not a problem: the proto is often a vendor's,
 * and its other methods are served. Mistakes in the mapping file stay problems.
 * Not thread-safe; one instance per configuration compile.
 */
public final class GrpcMappingCompiler {
  private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

  private final Specs.GatewaySpec gateway;
  private final GrpcChannels channels;
  private final BodyReader bodies;
  private final Problems problems;
  private final Map<String, Object> schemas = new HashMap<>();

  /** With {@code offline}, server reflection is a problem instead of a call (validate --offline). */
  private final boolean offline;

  /** {@code bodies} reads the request bodies of every route compiled here. */
  public GrpcMappingCompiler(Specs.GatewaySpec gateway, GrpcChannels channels, BodyReader bodies,
      Problems problems) {
    this(gateway, channels, bodies, problems, false);
  }

  /** As above; {@code offline}: ask no server for its descriptors, report each reflection source instead. */
  public GrpcMappingCompiler(Specs.GatewaySpec gateway, GrpcChannels channels, BodyReader bodies,
      Problems problems, boolean offline) {
    this.offline = offline;
    this.gateway = gateway;
    this.channels = channels;
    this.bodies = bodies;
    this.problems = problems;
  }

  /** Where a binding comes from; a MAPPING binding may override a PROTO or RPC one. */
  private enum Origin { PROTO, RPC, MAPPING }

  /** One http binding before compilation. */
  private record Rule(Origin origin, Loc loc, MethodDescriptor method, String httpMethod, String path,
      String body, String responseBody, OperationSpec op) {
    String what() {
      return switch (origin) {
        case PROTO -> "the http rule of " + method.getFullName();
        case RPC -> "the RPC route of " + method.getFullName();
        case MAPPING -> "route " + httpMethod + " " + path;
      };
    }
  }

  /** A compiled binding. */
  private record Compiled(Rule rule, HttpTemplate template, GrpcOperationHandler handler) {}

  /** Compiles one mapping file; returns nothing for mappings whose backend is not gRPC. */
  public List<CompiledRoute> compile(MappingSpec mapping) {
    GrpcBackendSpec g = mapping.grpc();
    if (g == null || g.target() == null) {
      return List.of();
    }
    int before = problems.size();
    Path dir = mapping.file().toAbsolutePath().getParent();
    String bad = GrpcChannels.checkTarget(g.target());
    if (bad != null) {
      problems.add(g.targetLoc(), bad);
    }
    MetadataPolicy metadata = MetadataPolicy.compile(g.forwardHeaders(), g.returnHeaders(),
        m -> problems.add(g.forwardLoc(), m), m -> problems.add(g.returnLoc(), m));
    if (bad != null) {
      return List.of();
    }
    int beforeTls = problems.size();
    GrpcChannels.Tls tls = tls(dir, g.tls());
    if (problems.size() > beforeTls) {
      return List.of();
    }
    ManagedChannel channel = channels.channel(new GrpcChannels.Key(g.target(), tls, g.keepAlive()));
    DirectUnaryClient direct = tls == null && g.directUnary() ? channels.direct(g.target()) : null;
    ProtoSchema schema = schema(dir, g, channel);
    if (schema == null) {
      return List.of();
    }
    DebugView debug = DebugView.compile(g.debug(), schema.types(),
        m -> problems.add(g.debug().redactLoc(), m));
    List<ServiceDescriptor> services = services(schema, g);
    List<Rule> rules = new ArrayList<>();
    if (g.httpRules()) {
      annotations(schema, services, g, rules);
    }
    if (g.rpcRoutes()) {
      rpcRoutes(schema, services, g, rules);
    }
    for (OperationSpec op : mapping.operations()) {
      Rule r = operation(op, services);
      if (r != null) {
        rules.add(r);
      }
    }
    Map<MethodDescriptor, io.grpc.MethodDescriptor<DynamicMessage, byte[]>> grpcMethods = new HashMap<>();
    Map<String, Compiled> bySignature = new LinkedHashMap<>();
    for (Rule r : rules) {
      Compiled c = compileRule(mapping, g, r, schema, channel, direct, metadata, debug, grpcMethods);
      if (c == null) {
        continue;
      }
      String key = r.httpMethod() + " " + c.template().signature();
      Compiled prev = bySignature.get(key);
      if (prev == null) {
        bySignature.put(key, c);
      } else if (r.origin() == Origin.MAPPING && prev.rule().origin() != Origin.MAPPING) {
        bySignature.put(key, c);
      } else if (r.origin() != Origin.MAPPING) {
        // Both from the proto: keep the first, serve the rest of the proto.
        problems.warn(r.loc(), r.what() + " (" + r.httpMethod() + " " + r.path() + ") matches the same requests as "
            + prev.rule().what() + (prev.rule().loc().line() > 0 ? " at " + prev.rule().loc() : "")
            + "; only the first is served (a mapping operation can take the path over)");
      } else {
        problems.add(r.loc(), r.what() + " (" + r.httpMethod() + " " + r.path() + ") matches the same requests as "
            + prev.rule().what() + (prev.rule().loc().line() > 0 ? " at " + prev.rule().loc() : "")
            + "; change one of the paths" + (r.origin() == Origin.PROTO ? "" : " or remove one"));
      }
    }
    if (problems.size() > before) {
      return List.of();
    }
    if (bySignature.isEmpty()) {
      boolean leftOut = rules.stream().anyMatch(r -> r.origin() != Origin.MAPPING);
      problems.add(g.loc(), "nothing to serve: " + (leftOut ? "no route of " + names(services) + " can be served "
          + "(see the warnings) and " : g.httpRules() ? "no method of " + names(services)
          + " has a google.api.http rule and " : "") + "the mapping has no operations");
      return List.of();
    }
    return group(bySignature.values());
  }

  // ---------------------------------------------------------------- descriptors

  private ProtoSchema schema(Path dir, GrpcBackendSpec g, ManagedChannel channel) {
    String key;
    Loc at;
    if (g.proto() != null) {
      Path file = dir.resolve(g.proto()).normalize();
      List<Path> roots = new ArrayList<>();
      if (g.protoPath().isEmpty()) {
        roots.add(file.getParent());
      } else {
        g.protoPath().forEach(p -> roots.add(dir.resolve(p).normalize()));
      }
      key = "proto " + file + " " + roots;
      at = g.protoLoc();
      Object cached = schemas.get(key);
      if (cached == null) {
        try {
          Loc rootsAt = g.protoPath().isEmpty() ? g.protoLoc() : g.protoPathLoc();
          cached = ProtoTextLoader.load(file, roots, dir, w -> problems.warn(rootsAt, w));
        } catch (DescriptorProblem e) {
          cached = e.getMessage();
        }
        schemas.put(key, cached);
      }
      return result(cached, at);
    }
    if (g.descriptorSet() != null) {
      Path file = dir.resolve(g.descriptorSet()).normalize();
      key = "set " + file + " " + g.services();
      at = g.descriptorSetLoc();
      Object cached = schemas.get(key);
      if (cached == null) {
        try {
          cached = DescriptorSetLoader.load(file, g.descriptorSet(), List.of());
        } catch (DescriptorProblem e) {
          cached = e.getMessage();
        }
        schemas.put(key, cached);
      }
      return result(cached, at);
    }
    if (g.reflection() && offline) {
      problems.add(g.reflectionLoc(), "reflection asks " + g.target() + " for its descriptors over the network, which an "
          + "offline check does not do; check it without --offline, or give 'proto' or 'descriptorSet'");
      return null;
    }
    if (g.reflection()) {
      key = "reflection " + g.target() + " " + (g.tls() == null ? "plaintext" : g.tls()) + " " + g.services();
      at = g.reflectionLoc();
      Object cached = schemas.get(key);
      if (cached == null) {
        Duration timeout = g.timeout() != null ? g.timeout() : gateway.defaultTimeout();
        try {
          cached = ReflectionLoader.load(channel, g.target(), g.services(), timeout);
        } catch (DescriptorProblem e) {
          cached = e.getMessage();
        }
        schemas.put(key, cached);
      }
      return result(cached, at);
    }
    return null;
  }

  private ProtoSchema result(Object cached, Loc at) {
    if (cached instanceof String message) {
      problems.add(at, message);
      return null;
    }
    return (ProtoSchema) cached;
  }

  private List<ServiceDescriptor> services(ProtoSchema schema, GrpcBackendSpec g) {
    Map<String, ServiceDescriptor> all = schema.servicesByName();
    if (g.services().isEmpty()) {
      if (schema.services().isEmpty()) {
        problems.add(g.loc(), all.isEmpty() ? "the descriptors define no service"
            : "the descriptors define no service of their own; name one of the imported ones in 'services': "
                + String.join(", ", all.keySet()));
      }
      return schema.services();
    }
    List<ServiceDescriptor> out = new ArrayList<>();
    for (String s : g.services()) {
      ServiceDescriptor sd = all.get(s);
      if (sd == null) {
        problems.add(g.servicesLoc(), "service '" + s + "' is not defined" + Problems.suggestion(s, all.keySet()));
      } else {
        out.add(sd);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- rules

  private void annotations(ProtoSchema schema, List<ServiceDescriptor> services, GrpcBackendSpec g, List<Rule> out) {
    for (ServiceDescriptor s : services) {
      for (MethodDescriptor m : s.getMethods()) {
        if (!m.getOptions().hasExtension(AnnotationsProto.http)) {
          continue;
        }
        HttpRule rule = m.getOptions().getExtension(AnnotationsProto.http);
        Loc loc = schema.location(m) != null ? schema.location(m) : sourceLoc(g);
        addRule(rule, m, loc, out, true);
        for (HttpRule extra : rule.getAdditionalBindingsList()) {
          if (extra.getAdditionalBindingsCount() > 0) {
            problems.warn(loc, "the http rule of " + m.getFullName() + ": additional bindings cannot have "
                + "additional bindings of their own; those are not served");
          }
          addRule(extra, m, loc, out, false);
        }
      }
    }
  }

  private void addRule(HttpRule rule, MethodDescriptor m, Loc loc, List<Rule> out, boolean primary) {
    String verb;
    String path;
    switch (rule.getPatternCase()) {
      case GET -> { verb = "GET"; path = rule.getGet(); }
      case PUT -> { verb = "PUT"; path = rule.getPut(); }
      case POST -> { verb = "POST"; path = rule.getPost(); }
      case DELETE -> { verb = "DELETE"; path = rule.getDelete(); }
      case PATCH -> { verb = "PATCH"; path = rule.getPatch(); }
      case CUSTOM -> { verb = rule.getCustom().getKind().toUpperCase(Locale.ROOT); path = rule.getCustom().getPath(); }
      default -> {
        if (primary && rule.getAdditionalBindingsCount() > 0) {
          return; // only additional bindings
        }
        problems.warn(loc, "the http rule of " + m.getFullName() + " has no pattern (get, put, post, delete, "
            + "patch or custom); it is not served");
        return;
      }
    }
    if (!verb.matches("[A-Z][A-Z0-9_-]*")) {
      problems.warn(loc, "the http rule of " + m.getFullName() + ": '" + verb + "' is not an HTTP method; "
          + "it is not served");
      return;
    }
    out.add(new Rule(Origin.PROTO, loc, m, verb, path, rule.getBody().isEmpty() ? null : rule.getBody(),
        rule.getResponseBody().isEmpty() ? null : rule.getResponseBody(), null));
  }

  private void rpcRoutes(ProtoSchema schema, List<ServiceDescriptor> services, GrpcBackendSpec g, List<Rule> out) {
    for (ServiceDescriptor s : services) {
      for (MethodDescriptor m : s.getMethods()) {
        if (g.httpRules() && m.getOptions().hasExtension(AnnotationsProto.http)) {
          continue; // served by its rule; without httpRules, every method has its RPC route
        }
        Loc loc = schema.location(m) != null ? schema.location(m) : sourceLoc(g);
        boolean bidi = m.isClientStreaming() && m.isServerStreaming();
        out.add(new Rule(Origin.RPC, loc, m, bidi ? "GET" : "POST", "/" + s.getFullName() + "/" + m.getName(), "*",
            null, null));
      }
    }
  }

  private static Loc sourceLoc(GrpcBackendSpec g) {
    return g.proto() != null ? g.protoLoc() : g.descriptorSet() != null ? g.descriptorSetLoc() : g.reflectionLoc();
  }

  /**
   * The channel's TLS settings with the PEM files read, or null for plaintext; a missing or
   * unusable file is a problem at its key.
   */
  private GrpcChannels.Tls tls(Path dir, Specs.GrpcBackendSpec.Tls spec) {
    if (spec == null) {
      return null;
    }
    byte[] ca = pem(dir, spec.ca(), spec.caLoc());
    byte[] cert = pem(dir, spec.cert(), spec.certLoc());
    byte[] key = pem(dir, spec.key(), spec.keyLoc());
    if (ca == null && spec.ca() != null || cert == null && spec.cert() != null || key == null && spec.key() != null
        || (cert == null) != (key == null)) {
      return null;
    }
    GrpcChannels.Tls tls = new GrpcChannels.Tls(ca, cert, key, spec.authority());
    String bad = tls.check();
    if (bad != null) {
      problems.add(spec.loc(), "the TLS files cannot be used: " + bad);
      return null;
    }
    return tls;
  }

  private byte[] pem(Path dir, String file, dev.ficus.config.Loc at) {
    if (file == null) {
      return null;
    }
    return dev.ficus.config.PemFiles.read(dir, file, "the mapping file's folder", at, problems);
  }

  /** A mapping-file operation as a rule; null (problem reported) when its call does not resolve. */
  private Rule operation(OperationSpec op, List<ServiceDescriptor> services) {
    if (op.call() == null || op.method() == null || op.path() == null) {
      return null;
    }
    MethodDescriptor m = resolveCall(op.call(), op.callLoc(), services);
    if (m == null) {
      return null;
    }
    return new Rule(Origin.MAPPING, op.routeLoc(), m, op.method(), op.path(), null, null, op);
  }

  private MethodDescriptor resolveCall(String call, Loc at, List<ServiceDescriptor> services) {
    Map<String, List<MethodDescriptor>> names = new LinkedHashMap<>();
    for (ServiceDescriptor s : services) {
      for (MethodDescriptor m : s.getMethods()) {
        names.computeIfAbsent(s.getFullName() + "/" + m.getName(), k -> new ArrayList<>()).add(m);
        names.computeIfAbsent(s.getName() + "/" + m.getName(), k -> new ArrayList<>()).add(m);
        names.computeIfAbsent(m.getName(), k -> new ArrayList<>()).add(m);
      }
    }
    String key = call.startsWith("/") ? call.substring(1) : call;
    List<MethodDescriptor> found = names.get(key);
    if (found == null && key.indexOf('/') < 0 && key.lastIndexOf('.') > 0) {
      // pkg.Service.Method, the form of a method's full name
      int dot = key.lastIndexOf('.');
      found = names.get(key.substring(0, dot) + "/" + key.substring(dot + 1));
    }
    if (found == null) {
      problems.add(at, "'" + call + "' is not a method of " + names(services)
          + Problems.suggestion(key, names.keySet()));
      return null;
    }
    if (found.size() > 1) {
      List<String> options = new ArrayList<>();
      found.forEach(m -> options.add(m.getService().getFullName() + "/" + m.getName()));
      problems.add(at, "'" + call + "' is ambiguous; write one of " + String.join(", ", options));
      return null;
    }
    return found.get(0);
  }

  private static String names(List<ServiceDescriptor> services) {
    List<String> n = new ArrayList<>();
    services.forEach(s -> n.add(s.getFullName()));
    return n.isEmpty() ? "the backend" : String.join(", ", n);
  }

  // ---------------------------------------------------------------- one binding

  private Compiled compileRule(MappingSpec mapping, GrpcBackendSpec g, Rule r, ProtoSchema schema,
      ManagedChannel channel, DirectUnaryClient direct, MetadataPolicy metadata, DebugView debug,
      Map<MethodDescriptor, io.grpc.MethodDescriptor<DynamicMessage, byte[]>> grpcMethods) {
    if (r.origin() == Origin.MAPPING) {
      return compileRule(mapping, g, r, schema, channel, direct, metadata, debug, grpcMethods, problems);
    }
    // A rule of the proto that cannot be served is left out with a warning; the others are served.
    Problems own = new Problems();
    Compiled c = compileRule(mapping, g, r, schema, channel, direct, metadata, debug, grpcMethods, own);
    for (dev.ficus.config.ConfigProblem p : own.sorted()) {
      problems.warn(p.loc(), p.message() + "; this rule is not served, the other methods are");
    }
    return own.isEmpty() ? c : null;
  }

  private Compiled compileRule(MappingSpec mapping, GrpcBackendSpec g, Rule r, ProtoSchema schema,
      ManagedChannel channel, DirectUnaryClient direct, MetadataPolicy metadata, DebugView debug,
      Map<MethodDescriptor, io.grpc.MethodDescriptor<DynamicMessage, byte[]>> grpcMethods, Problems problems) {
    int before = problems.size();
    MethodDescriptor m = r.method();
    String what = r.what();
    HttpTemplate template;
    try {
      template = HttpTemplate.parse(r.path());
    } catch (IllegalArgumentException e) {
      problems.add(r.loc(), what + ": path '" + r.path() + "': " + e.getMessage());
      return null;
    }
    // Bound to GET, a bidirectional method is a WebSocket; bound to another method (Firestore's
    // Listen and Write are POST), it is half-duplex over that request: the body's messages in,
    // then the replies out as a stream, as grpc-gateway serves it.
    boolean webSocket = m.isClientStreaming() && m.isServerStreaming() && "GET".equals(r.httpMethod());
    Descriptor input = m.getInputType();
    Descriptor output = m.getOutputType();
    OperationSpec op = r.op();

    // Which variable, query parameter and header fills which field; where the body goes.
    String body = r.body();
    String responseBody = r.responseBody();
    Map<String, String> varTargets = new LinkedHashMap<>();
    List<String[]> queryTargets = new ArrayList<>();
    List<String[]> headerTargets = new ArrayList<>();
    Map<Status.Code, Integer> overrides = new EnumMap<>(Status.Code.class);
    if (op != null) {
      List<Binding> bindings = op.request().bindings();
      if (bindings.isEmpty()) {
        body = BODY_METHODS.contains(r.httpMethod()) || m.isClientStreaming() ? "*" : null;
      }
      for (Binding b : bindings) {
        String target = String.join(".", b.target());
        switch (b.source()) {
          case BODY -> {
            if (!b.sourcePath().isEmpty()) {
              problems.add(b.loc(), "'body." + String.join(".", b.sourcePath()) + "': a gRPC request takes the "
                  + "whole body ('body') in the request or in one of its top-level fields");
            } else if (b.target().size() > 1) {
              problems.add(b.loc(), "the body can fill the whole request ('.') or one top-level field, not '"
                  + target + "'");
            } else {
              body = b.target().isEmpty() ? "*" : target;
            }
          }
          case PATH -> {
            if (b.target().isEmpty()) {
              problems.add(b.loc(), "only 'body' can fill the whole request ('.')");
            } else {
              varTargets.put(b.sourcePath().get(0), target);
            }
          }
          case QUERY, HEADER -> {
            if (b.target().isEmpty()) {
              problems.add(b.loc(), "only 'body' can fill the whole request ('.')");
            } else {
              (b.source() == SourceKind.QUERY ? queryTargets : headerTargets)
                  .add(new String[] {b.sourcePath().get(0), target, b.loc().toString()});
            }
          }
          default -> { }
        }
      }
      Specs.ResponseSpec resp = op.response();
      if (resp.select().size() > 1) {
        problems.add(resp.selectLoc(), "'select' takes one top-level field of " + output.getFullName()
            + " for a gRPC reply");
      } else if (resp.select().size() == 1) {
        responseBody = resp.select().get(0);
      }
      for (Specs.Rename rn : resp.renames()) {
        problems.add(rn.loc(), "'rename' is not available for gRPC backends; use json.originalNames or select");
      }
      for (Specs.FaultRule f : op.faults()) {
        Status.Code code = GrpcCodes.byName(f.fault());
        if (code == null || code == Status.Code.OK) {
          List<String> codes = new ArrayList<>();
          for (Status.Code c : Status.Code.values()) {
            if (c != Status.Code.OK) {
              codes.add(c.name());
            }
          }
          problems.add(f.loc(), "'" + f.fault() + "' is not a gRPC status code" + Problems.suggestion(f.fault(), codes));
        } else {
          overrides.put(code, f.status());
        }
      }
    }
    if (m.isClientStreaming() && body == null) {
      problems.add(r.loc(), what + ": " + m.getName() + " is client streaming, so its route needs a body");
    }
    if (webSocket) {
      // Each WebSocket text frame is a whole request message.
      if (body != null && !"*".equals(body)) {
        problems.add(r.loc(), what + ": each WebSocket frame of " + m.getName() + " is a whole request; "
            + "the body cannot be the field '" + body + "'");
      }
      body = "*";
    } else if (body != null && "GET".equals(r.httpMethod())) {
      problems.add(r.loc(), what + ": a GET route cannot take a body");
    }

    // Path variables.
    Set<String> varNames = new LinkedHashSet<>();
    template.variables().forEach(v -> varNames.add(v.fieldPath()));
    for (String v : varTargets.keySet()) {
      if (!varNames.contains(v)) {
        problems.add(op.routeLoc(), "path variable {" + v + "} is not in the route '" + r.path() + "'"
            + Problems.suggestion(v, varNames));
      }
    }
    List<RequestTranslator.PathBinding> pathBindings = new ArrayList<>();
    for (int i = 0; i < template.variables().size(); i++) {
      String var = template.variables().get(i).fieldPath();
      String field = varTargets.getOrDefault(var, var);
      FieldPath fp = textual(problems, input, field, r.loc(), what + ": path variable {" + var + "}");
      if (fp != null) {
        if (fp.leaf().isRepeated()) {
          problems.add(r.loc(), what + ": path variable {" + var + "} fills '" + field + "', which is repeated");
        } else {
          pathBindings.add(new RequestTranslator.PathBinding(i, var, fp));
        }
      }
    }
    List<RequestTranslator.ValueBinding> query = new ArrayList<>();
    for (String[] q : queryTargets) {
      FieldPath fp = textual(problems, input, q[1], op.request().loc(), "query parameter '" + q[0] + "'");
      if (fp != null) {
        query.add(new RequestTranslator.ValueBinding(q[0], fp));
      }
    }
    List<RequestTranslator.ValueBinding> headers = new ArrayList<>();
    for (String[] h : headerTargets) {
      FieldPath fp = textual(problems, input, h[1], op.request().loc(), "header '" + h[0] + "'");
      if (fp != null) {
        headers.add(new RequestTranslator.ValueBinding(h[0], fp));
      }
    }

    // Body and response body.
    RequestTranslator.BodyKind bodyKind = body == null ? RequestTranslator.BodyKind.NONE
        : "*".equals(body) ? RequestTranslator.BodyKind.WHOLE : RequestTranslator.BodyKind.FIELD;
    FieldDescriptor bodyField = null;
    if (bodyKind == RequestTranslator.BodyKind.FIELD) {
      bodyField = FieldPath.field(input, body);
      if (bodyField == null) {
        problems.add(r.loc(), what + ": body '" + body + "' is not a field of " + input.getFullName()
            + Problems.suggestion(body, fieldNames(input)));
      }
    }
    FieldDescriptor responseField = null;
    if (responseBody != null) {
      responseField = FieldPath.field(output, responseBody);
      if (responseField == null) {
        problems.add(op != null ? op.response().selectLoc() : r.loc(), what + ": response body '" + responseBody
            + "' is not a field of " + output.getFullName() + Problems.suggestion(responseBody, fieldNames(output)));
      }
    }
    if (problems.size() > before) {
      return null;
    }

    Specs.UnknownFields unknown = op != null && op.unknownFields() != null ? op.unknownFields()
        : mapping.options().unknownFields() != null ? mapping.options().unknownFields() : gateway.unknownFields();
    Duration timeout = op != null && op.timeout() != null ? op.timeout()
        : g.timeout() != null ? g.timeout() : gateway.defaultTimeout();
    RequestTranslator request = new RequestTranslator(input, pathBindings, bodyKind, bodyField, query, headers,
        schema.types(), unknown == Specs.UnknownFields.REJECT);
    ResponseTranslator response = new ResponseTranslator(output, responseField, schema.types(), g.json());
    String full = m.getService().getFullName() + "/" + m.getName();
    StatusTranslator errors = new StatusTranslator(full, timeout, overrides, schema.types());
    io.grpc.MethodDescriptor<DynamicMessage, byte[]> grpcMethod = grpcMethods.computeIfAbsent(m,
        GrpcMappingCompiler::grpcMethod);
    GrpcOperationHandler handler = new GrpcOperationHandler(r.httpMethod() + " " + r.path() + " -> " + full,
        template, grpcMethod, channel, grpcMethod.getType() == io.grpc.MethodDescriptor.MethodType.UNARY ? direct : null,
        g.target(), request, response, errors, metadata, timeout, bodies, webSocket, gateway.maxResponseBytes(),
        debug);
    return new Compiled(r, template, handler);
  }

  /** A field path whose leaf takes a single text value; null (problem reported) otherwise. */
  private static FieldPath textual(Problems problems, Descriptor input, String path, Loc at, String what) {
    FieldPath fp;
    try {
      fp = FieldPath.resolve(input, path);
    } catch (IllegalArgumentException e) {
      problems.add(at, what + ": " + e.getMessage());
      return null;
    }
    if (!TextValues.isTextual(fp.leaf())) {
      problems.add(at, what + ": '" + path + "' is a " + (fp.leaf().isMapField() ? "map" : "message ("
          + fp.leaf().getMessageType().getFullName() + ")") + "; a text value can only fill a scalar, an enum or a "
          + "well-known type with a string form");
      return null;
    }
    return fp;
  }

  private static List<String> fieldNames(Descriptor d) {
    List<String> n = new ArrayList<>();
    d.getFields().forEach(f -> n.add(f.getName()));
    return n;
  }

  static io.grpc.MethodDescriptor<DynamicMessage, byte[]> grpcMethod(MethodDescriptor m) {
    io.grpc.MethodDescriptor.MethodType type = m.isClientStreaming()
        ? (m.isServerStreaming() ? io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING
            : io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING)
        : (m.isServerStreaming() ? io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING
            : io.grpc.MethodDescriptor.MethodType.UNARY);
    return io.grpc.MethodDescriptor.<DynamicMessage, byte[]>newBuilder()
        .setType(type)
        .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(m.getService().getFullName(), m.getName()))
        .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(m.getInputType())))
        .setResponseMarshaller(ReplyBytes.INSTANCE)
        .build();
  }

  /**
   * Replies are kept as their wire bytes: {@link ResponseTranslator} writes JSON from them
   * directly, on the exchange's thread, instead of gRPC's transport thread building a
   * {@code DynamicMessage}.
   */
  static final class ReplyBytes implements io.grpc.MethodDescriptor.Marshaller<byte[]> {
    static final ReplyBytes INSTANCE = new ReplyBytes();

    @Override
    public java.io.InputStream stream(byte[] value) {
      return new java.io.ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(java.io.InputStream in) {
      try (in) {
        if (in instanceof io.grpc.KnownLength) {
          byte[] b = new byte[in.available()];
          int n = in.readNBytes(b, 0, b.length);
          return n == b.length && in.read() < 0 ? b : concat(b, n, in);
        }
        return in.readAllBytes();
      } catch (java.io.IOException e) {
        throw io.grpc.Status.INTERNAL.withDescription("Cannot read the reply").withCause(e).asRuntimeException();
      }
    }

    private static byte[] concat(byte[] head, int n, java.io.InputStream in) throws java.io.IOException {
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      all.write(head, 0, n);
      in.transferTo(all);
      return all.toByteArray();
    }
  }

  // ---------------------------------------------------------------- routes

  /** One route per (method, router template); several bindings on one template share a group handler. */
  private List<CompiledRoute> group(Iterable<Compiled> compiled) {
    Map<String, List<Compiled>> groups = new LinkedHashMap<>();
    for (Compiled c : compiled) {
      groups.computeIfAbsent(c.rule().httpMethod() + " " + c.template().routerPath(), k -> new ArrayList<>()).add(c);
    }
    List<CompiledRoute> out = new ArrayList<>();
    for (List<Compiled> g : groups.values()) {
      g.sort(MOST_SPECIFIC_FIRST);
      Compiled first = g.get(0);
      PathTemplate path;
      try {
        path = PathTemplate.parse(first.template().routerPath());
      } catch (IllegalArgumentException e) {
        problems.add(first.rule().loc(), first.rule().what() + ": path '" + first.rule().path() + "' cannot be "
            + "routed: " + e.getMessage());
        continue;
      }
      List<GrpcOperationHandler> handlers = new ArrayList<>();
      List<String> lines = new ArrayList<>();
      Specs.Policies policies = policies(first);
      for (Compiled c : g) {
        handlers.add(c.handler());
        lines.add(c.template().text() + " -> " + c.handler().describe() + via(c));
        if (!policies(c).sameRules(policies)) {
          // One route, one chain: the router cannot tell these bindings apart before the chain runs.
          problems.add(c.rule().loc(), c.rule().what() + " shares the route " + first.rule().httpMethod() + " "
              + first.template().routerPath() + " with " + first.rule().what() + " but not its policies; give both "
              + "the same 'policies'");
        }
      }
      RouteGroupHandler group = new RouteGroupHandler(handlers);
      // The router asks the group whether a path is its own, so that one that fits the router
      // template but none of the bindings (another verb, a '**' with too few segments after it)
      // goes on to less specific routes instead of a 404 here.
      out.add(new CompiledRoute(first.rule().httpMethod(), path, g.size() == 1 ? first.handler() : group, lines,
          first.rule().loc(), group::accepts, policies));
    }
    return out;
  }

  /** A binding's policies: its operation's, or none of its own for a rule of the proto. */
  private static Specs.Policies policies(Compiled c) {
    return c.rule().op() == null ? Specs.Policies.NONE : c.rule().op().policies();
  }

  /**
   * The order in which bindings on one router template are tried: a custom verb first (without
   * one, {@code /items/x:stock} would also fit {@code /items/{name}}), then the proto's order (the
   * sort is stable). Where two templates overlap, the first declared wins: Firestore declares
   * GetDocument ({@code {name=.../documents/*&#47;**}}) before ListDocuments'
   * {@code {parent=.../documents/*&#47;**}/{collection_id}}, and a document must stay reachable.
   */
  private static final java.util.Comparator<Compiled> MOST_SPECIFIC_FIRST =
      java.util.Comparator.comparing(c -> c.template().verb() == null);

  private static String via(Compiled c) {
    return switch (c.rule().origin()) {
      case PROTO -> " [google.api.http]";
      case RPC -> " [rpcRoutes]";
      case MAPPING -> "";
    };
  }
}
