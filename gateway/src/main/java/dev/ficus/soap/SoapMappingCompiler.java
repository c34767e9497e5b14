package dev.ficus.soap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ficus.config.Loc;
import dev.ficus.config.Problems;
import dev.ficus.config.Specs;
import dev.ficus.config.Specs.Binding;
import dev.ficus.config.Specs.MappingSpec;
import dev.ficus.config.Specs.OperationSpec;
import dev.ficus.config.Specs.SoapBackendSpec;
import dev.ficus.config.Specs.SourceKind;
import dev.ficus.config.YNode;
import dev.ficus.error.GatewayError;
import dev.ficus.http.BodyReader;
import dev.ficus.routing.CompiledRoute;
import dev.ficus.routing.PathTemplate;
import dev.ficus.xml.JsonField;
import dev.ficus.xml.JsonToXml;
import dev.ficus.xml.NamespaceScan;
import dev.ficus.xml.XsdComplexType;
import dev.ficus.xml.XsdElement;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles SOAP mapping files into {@link SoapOperationHandler}s: reads each WSDL once,
 * resolves service, port and operations, checks every request binding, select path, rename
 * and fault rule against the schema, and renders everything static (namespace declarations,
 * SOAP headers) ahead of time. Every problem is reported with the YAML location at fault;
 * compilation continues past problems so that all of them are reported at once.
 * Not thread-safe; one instance per configuration compile.
 */
public final class SoapMappingCompiler {
  private static final Set<String> FAULT_CODES =
      Set.of("Client", "Server", "Sender", "Receiver", "VersionMismatch", "MustUnderstand", "DataEncodingUnknown");

  private final Specs.GatewaySpec gateway;
  private final SoapClient client;
  private final BodyReader bodies;
  private final Problems problems;
  private final Map<String, Object> wsdlCache = new HashMap<>();

  /** With {@code offline}, a WSDL by URL is a problem instead of a download (validate --offline). */
  private final boolean offline;

  /** {@code bodies} reads the request bodies of every operation compiled here. */
  public SoapMappingCompiler(Specs.GatewaySpec gateway, SoapClient client, BodyReader bodies,
      Problems problems) {
    this(gateway, client, bodies, problems, false);
  }

  /** As above; {@code offline}: read no WSDL over the network, report each one given by URL instead. */
  public SoapMappingCompiler(Specs.GatewaySpec gateway, SoapClient client, BodyReader bodies,
      Problems problems, boolean offline) {
    this.offline = offline;
    this.gateway = gateway;
    this.client = client;
    this.bodies = bodies;
    this.problems = problems;
  }

  /** Compiles one mapping file; problems go to the shared {@link Problems}. */
  public List<CompiledRoute> compile(MappingSpec mapping) {
    SoapBackendSpec soap = mapping.soap();
    if (soap == null || soap.wsdl() == null) {
      return List.of();
    }
    WsdlDocument wsdl = wsdl(mapping.file(), soap);
    if (wsdl == null) {
      return List.of();
    }
    WsdlDocument.PortInfo port;
    try {
      port = wsdl.port(soap.service(), soap.port());
    } catch (WsdlDocument.WsdlProblem e) {
      problems.add(soap.port() != null ? soap.portLoc() : soap.service() != null ? soap.serviceLoc() : soap.loc(),
          e.getMessage());
      return List.of();
    }
    URI endpoint = endpoint(soap, port);
    SoapClient.Target target = target(soap, endpoint, ca(mapping, soap, endpoint));
    List<CompiledRoute> routes = new ArrayList<>();
    Set<String> usedHeaders = new LinkedHashSet<>();
    boolean allResolved = true;
    for (OperationSpec op : mapping.operations()) {
      CompiledRoute r = compileOperation(mapping, soap, wsdl, port, target, op, usedHeaders);
      if (r != null) {
        routes.add(r);
      }
      // Only an operation not found in the WSDL leaves its headers unknown; one that failed
      // for another reason (a bad header value, a misspelt member) still declared them.
      allResolved &= op.call() != null && resolves(wsdl, port, op.call());
    }
    for (String h : soap.headers().keySet()) {
      // An operation that did not resolve says nothing about its headers: no follow-on problem.
      if (allResolved && !usedHeaders.contains(h)) {
        problems.add(soap.headers().get(h).loc(), "'" + h + "' is not a soap:header of any mapped operation of "
            + port.service() + "/" + port.port());
      }
    }
    for (String p : wsdl.schemas().problems()) {
      problems.add(soap.wsdlLoc(), "in the WSDL's schemas: " + p);
    }
    return routes;
  }

  private static boolean resolves(WsdlDocument wsdl, WsdlDocument.PortInfo port, String call) {
    try {
      wsdl.operation(port, call);
      return true;
    } catch (WsdlDocument.WsdlProblem e) {
      return false;
    }
  }

  private WsdlDocument wsdl(Path mappingFile, SoapBackendSpec soap) {
    String loc = soap.wsdl();
    String uri;
    if (offline && (loc.startsWith("http:") || loc.startsWith("https:"))) {
      problems.add(soap.wsdlLoc(), "the WSDL " + loc + " is read over the network, which an offline check does not do; "
          + "check it without --offline, or point 'wsdl' at a copy of the file");
      return null;
    }
    if (loc.startsWith("http:") || loc.startsWith("https:") || loc.startsWith("file:")) {
      uri = loc;
    } else {
      Path base = mappingFile.toAbsolutePath().getParent();
      Path p = base.resolve(loc).normalize();
      if (!Files.isRegularFile(p)) {
        problems.add(soap.wsdlLoc(), dev.ficus.config.MissingFile.describe("WSDL file", loc, p, "the mapping file's folder"));
        return null;
      }
      uri = p.toUri().toString();
    }
    Object cached = wsdlCache.get(uri);
    if (cached == null) {
      try {
        cached = WsdlDocument.read(uri);
      } catch (WsdlDocument.WsdlProblem e) {
        cached = e.getMessage();
      }
      wsdlCache.put(uri, cached);
    }
    if (cached instanceof String message) {
      problems.add(soap.wsdlLoc(), message);
      return null;
    }
    return (WsdlDocument) cached;
  }

  /** The client's target for {@code endpoint} (null when it is missing or its TLS cannot be set up). */
  private SoapClient.Target target(SoapBackendSpec soap, URI endpoint, byte[] ca) {
    if (endpoint == null) {
      return null;
    }
    try {
      return client.target(endpoint, ca);
    } catch (java.security.GeneralSecurityException e) {
      problems.add(soap.ca() != null ? soap.caLoc() : soap.loc(), "TLS to " + endpoint + " cannot be set up: "
          + e.getMessage());
      return null;
    }
  }

  /** The PEM CAs of {@code ca:} (relative to the mapping file) for an https endpoint, or null. */
  private byte[] ca(MappingSpec mapping, SoapBackendSpec soap, URI endpoint) {
    if (soap.ca() == null) {
      return null;
    }
    if (endpoint != null && !"https".equalsIgnoreCase(endpoint.getScheme())) {
      problems.add(soap.caLoc(), "'ca' is the CA file for an https:// endpoint, and this endpoint is " + endpoint);
      return null;
    }
    return dev.ficus.config.PemFiles.readCa(mapping.file().toAbsolutePath().getParent(), soap.ca(),
        "the mapping file's folder", soap.caLoc(), problems);
  }

  private URI endpoint(SoapBackendSpec soap, WsdlDocument.PortInfo port) {
    String e = soap.endpoint() != null ? soap.endpoint() : port.address();
    Loc at = soap.endpoint() != null ? soap.endpointLoc() : soap.loc();
    if (e == null) {
      problems.add(at, "port " + port.port() + " has no soap:address; give 'endpoint:'");
      return null;
    }
    try {
      URI u = new URI(e);
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        problems.add(at, "endpoint '" + e + "' must be an http:// or https:// URL with a host");
        return null;
      }
      return u;
    } catch (URISyntaxException ex) {
      problems.add(at, "endpoint '" + e + "' is not a valid URL: " + ex.getReason());
      return null;
    }
  }

  private CompiledRoute compileOperation(MappingSpec mapping, SoapBackendSpec soap, WsdlDocument wsdl,
      WsdlDocument.PortInfo port, SoapClient.Target target, OperationSpec spec, Set<String> usedHeaders) {
    int before = problems.size();
    PathTemplate template = null;
    if (spec.path() != null) {
      try {
        template = PathTemplate.parse(spec.path());
      } catch (IllegalArgumentException e) {
        problems.add(spec.routeLoc(), "route path '" + spec.path() + "': " + e.getMessage());
      }
    }
    if (spec.call() == null) {
      return null;
    }
    SoapOperation op;
    try {
      op = wsdl.operation(port, spec.call());
    } catch (WsdlDocument.WsdlProblem e) {
      problems.add(spec.callLoc(), e.getMessage());
      return null;
    }
    checkCollisions(op, spec.callLoc());
    Specs.UnknownFields unknown = spec.unknownFields() != null ? spec.unknownFields()
        : mapping.options().unknownFields() != null ? mapping.options().unknownFields() : gateway.unknownFields();
    NamespaceScan ns = new NamespaceScan();
    if (op.input().rpcWrapper() != null) {
      ns.add(op.input().rpcWrapper().getNamespaceURI());
    }
    for (JsonField f : op.input().body().fields()) {
      ns.add(f.element());
    }
    op.headers().forEach(ns::add);
    Map<String, String> prefixes = ns.prefixes();
    XsdComplexType headerType = SoapOperation.headerType(op.headers());
    List<RequestPlan.Step> headerSteps = new ArrayList<>();
    Set<String> headerVars = new LinkedHashSet<>();
    Set<String> boundHeaders = headerSteps(spec, template, op, headerType, headerSteps, headerVars);
    ObjectNode staticBase = JsonNodeFactory.withExactBigDecimals(true).objectNode();
    String headerXml = headers(soap, op, prefixes, usedHeaders, boundHeaders, staticBase);
    RequestPlan headerPlan = headerSteps.isEmpty() ? null : new RequestPlan(false, headerSteps, staticBase);
    List<XsdElement> returnedHeaders = new ArrayList<>();
    ReplyHeaderPlan replyHeaders = replyHeaderPlan(spec, op, returnedHeaders);
    EnvelopeCodec codec = new EnvelopeCodec(op, prefixes, headerXml, headerPlan == null ? null : headerType,
        returnedHeaders.isEmpty() ? null : SoapOperation.headerType(returnedHeaders),
        unknown == Specs.UnknownFields.REJECT, mapping.options().preciseNumbersAsStrings(),
        EnvelopeCodec.MAX_REPLY_DEPTH);
    RequestPlan request = requestPlan(spec, template, op, headerVars);
    ResponsePlan response = responsePlan(spec, op);
    FaultPlan faults = faultPlan(spec, op, soap.faultDetail());
    if (problems.size() > before || template == null || target == null || spec.method() == null) {
      return null;
    }
    Duration timeout = spec.timeout() != null ? spec.timeout()
        : soap.timeout() != null ? soap.timeout() : gateway.defaultTimeout();
    SoapOperationHandler handler = new SoapOperationHandler(spec.method() + " " + spec.path(), codec, request,
        headerPlan, response, replyHeaders, faults, client, target, timeout, bodies);
    return new CompiledRoute(spec.method(), template, handler, handler.describe(), spec.routeLoc(), spec.policies());
  }

  private void checkCollisions(SoapOperation op, Loc at) {
    Set<XsdComplexType> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<String> found = new ArrayList<>();
    collisions(op.input().jsonType(), seen, found);
    if (op.output() != null) {
      collisions(op.output().jsonType(), seen, found);
    }
    for (String f : found) {
      problems.add(at, "operation '" + op.name() + "' cannot be shown as JSON: " + f);
    }
  }

  private static void collisions(XsdComplexType t, Set<XsdComplexType> seen, List<String> out) {
    if (t == null || !seen.add(t)) {
      return;
    }
    for (String c : t.collisions()) {
      out.add("in type " + t.displayName() + ", " + c);
    }
    for (JsonField f : t.fields()) {
      if (f.kind() == JsonField.Kind.ELEMENT) {
        collisions(f.element().complexType(), seen, out);
      }
    }
    for (String sub : t.subtypeNames()) {
      XsdComplexType s = t.subtypeByLocalName(sub);
      if (s != t) {
        collisions(s, seen, out);
      }
    }
  }

  /**
   * Renders the static header values of {@code backend.soap.headers} once. A header element
   * that the operation's {@code soapHeaders:} also fills is not rendered here: its static value
   * goes into {@code base}, which the request's values then complete or override.
   */
  private String headers(SoapBackendSpec soap, SoapOperation op, Map<String, String> prefixes,
      Set<String> usedHeaders, Set<String> boundHeaders, ObjectNode base) {
    StringBuilder sb = new StringBuilder();
    for (XsdElement h : op.headers()) {
      String local = h.name().getLocalPart();
      YNode value = soap.headers().get(local);
      if (value == null) {
        continue;
      }
      // The value is the same for every operation: report its problems with the first only.
      boolean first = usedHeaders.add(local);
      List<GatewayError.FieldError> errors = new ArrayList<>();
      JsonNode json = toJson(value);
      boolean bound = boundHeaders.contains(local);
      if (bound) {
        base.set(local, json);
      }
      new JsonToXml(prefixes, true).writeElement(h, json, "", bound ? new StringBuilder() : sb, errors);
      for (GatewayError.FieldError e : first ? errors : List.<GatewayError.FieldError>of()) {
        problems.add(value.loc(), "soap header '" + local + "' " + (e.pointer().isEmpty() ? "" : e.pointer() + " ")
            + e.detail());
      }
    }
    return sb.toString();
  }

  /** YAML values (after ${VAR} substitution) as JSON, for values written into SOAP headers. */
  static JsonNode toJson(YNode n) {
    JsonNodeFactory f = JsonNodeFactory.withExactBigDecimals(true);
    if (n instanceof YNode.YMap m) {
      ObjectNode o = f.objectNode();
      m.entries().forEach((k, e) -> o.set(k, toJson(e.value())));
      return o;
    }
    if (n instanceof YNode.YList l) {
      var a = f.arrayNode();
      l.items().forEach(i -> a.add(toJson(i)));
      return a;
    }
    YNode.YScalar s = (YNode.YScalar) n;
    return switch (s.type()) {
      case NULL -> f.nullNode();
      case BOOLEAN -> f.booleanNode(Boolean.parseBoolean(s.text()));
      case NUMBER -> s.text().matches("[-+]?\\d+") ? f.numberNode(new java.math.BigInteger(s.text()))
          : f.numberNode(new BigDecimal(s.text()));
      case STRING -> f.textNode(s.text());
    };
  }

  /**
   * Compiles {@code soapHeaders:} into steps over {@code headerType} (one member per input
   * header element); returns the header elements it fills and adds the path variables it uses
   * to {@code vars}.
   */
  private Set<String> headerSteps(OperationSpec spec, PathTemplate template, SoapOperation op,
      XsdComplexType headerType, List<RequestPlan.Step> steps, Set<String> vars) {
    Set<String> bound = new LinkedHashSet<>();
    List<String> routeVars = template == null ? List.of() : template.variables();
    List<String> declared = memberNames(headerType);
    for (Binding b : spec.soapHeaders()) {
      if (b.target().isEmpty()) {
        problems.add(b.loc(), "a soapHeaders target starts with the header element's local name"
            + (declared.isEmpty() ? "" : " (" + String.join(", ", declared) + ")"));
        continue;
      }
      if (b.source() == SourceKind.PATH && routeVars.contains(b.sourcePath().get(0))) {
        vars.add(b.sourcePath().get(0));
      }
      String element = b.target().get(0);
      if (headerType.field(element) == null) {
        problems.add(b.loc(), declared.isEmpty()
            ? "operation '" + op.name() + "' declares no soap:header in its input, so '" + element + "' cannot be filled"
            : "'" + element + "' is not a soap:header of operation '" + op.name() + "'; its input declares "
                + String.join(", ", declared) + Problems.suggestion(element, declared));
        continue;
      }
      JsonField f = resolve(headerType, b.target(), b.loc(), "soap:header '" + element + "'", true);
      if (f == null) {
        continue;
      }
      if (b.source() == SourceKind.PATH && !routeVars.contains(b.sourcePath().get(0))) {
        problems.add(b.loc(), "path variable {" + b.sourcePath().get(0) + "} is not in the route '" + spec.path()
            + "'" + Problems.suggestion(b.sourcePath().get(0), routeVars));
        continue;
      }
      if (b.source() != SourceKind.BODY && f.simpleType() == null) {
        problems.add(b.loc(), "'" + String.join(".", b.target()) + "' is an object; a "
            + b.source().name().toLowerCase() + " value can only fill a simple element or attribute");
        continue;
      }
      bound.add(element);
      steps.add(new RequestPlan.Step(b.target(), b.source(), b.sourcePath(), f.simpleType(), f.array(), false));
    }
    return bound;
  }

  /** HTTP response headers that framing or the connection own: never taken from a SOAP header. */
  private static final Set<String> RESERVED_RESPONSE_HEADERS = Set.of("content-length", "content-type",
      "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer", "proxy-connection");

  /**
   * Compiles {@code response.soapHeaders}; adds the output header elements the reply must
   * read to {@code returned}.
   */
  private ReplyHeaderPlan replyHeaderPlan(OperationSpec spec, SoapOperation op, List<XsdElement> returned) {
    Specs.ResponseSpec r = spec.response();
    if (r.soapHeadersInto() == null && r.soapHeaders().isEmpty()) {
      return ReplyHeaderPlan.NONE;
    }
    if (op.output() == null) {
      problems.add(r.soapHeadersLoc(), "operation '" + op.name() + "' is one-way: it has no reply headers to return");
      return ReplyHeaderPlan.NONE;
    }
    Map<String, XsdElement> declared = new LinkedHashMap<>();
    op.outputHeaders().forEach(e -> declared.putIfAbsent(e.name().getLocalPart(), e));
    if (declared.isEmpty()) {
      problems.add(r.soapHeadersLoc(), "operation '" + op.name() + "' declares no soap:header in its output");
      return ReplyHeaderPlan.NONE;
    }
    // The object the members go into: the selected reply. A select that does not resolve was
    // reported by the response plan; say nothing more about it here.
    XsdComplexType selected = op.output().jsonType();
    boolean selectResolved = true;
    for (String sel : r.select()) {
      JsonField f = selected == null ? null : selected.field(sel);
      selectResolved &= selected != null && f != null;
      selected = f == null || f.element() == null ? null : f.element().complexType();
    }
    if (r.soapHeadersInto() != null) {
      if (memberProblem(r.soapHeadersInto(), selected, selectResolved, r.soapHeadersLoc())) {
        return ReplyHeaderPlan.NONE;
      }
      returned.addAll(declared.values());
      return new ReplyHeaderPlan(r.soapHeadersInto(), List.of());
    }
    List<ReplyHeaderPlan.Target> targets = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (Specs.HeaderReturn h : r.soapHeaders()) {
      XsdElement e = declared.get(h.element());
      List<String> known = new ArrayList<>(declared.keySet());
      if (e == null) {
        problems.add(h.loc(), "'" + h.element() + "' is not a soap:header of the reply of '" + op.name()
            + "'; its output declares " + String.join(", ", known) + Problems.suggestion(h.element(), known));
        continue;
      }
      boolean http = h.to() == SourceKind.HEADER;
      if (http && e.simpleType() == null) {
        problems.add(h.loc(), "soap:header '" + h.element() + "' has a complex type; only a simple-typed header "
            + "can be an HTTP header; return it as body.NAME");
        continue;
      }
      String lower = h.name().toLowerCase(java.util.Locale.ROOT);
      if (http && RESERVED_RESPONSE_HEADERS.contains(lower)) {
        problems.add(h.loc(), "'" + h.name() + "' is set by the gateway itself; return the header under another name");
        continue;
      }
      if (!names.add((http ? "header:" : "body:") + (http ? lower : h.name()))) {
        problems.add(h.loc(), "'" + h.name() + "' is the target of another reply header too");
        continue;
      }
      if (!http && memberProblem(h.name(), selected, selectResolved, h.loc())) {
        continue;
      }
      returned.add(e);
      targets.add(new ReplyHeaderPlan.Target(h.element(), http, h.name()));
    }
    return new ReplyHeaderPlan(null, targets);
  }

  /** Reports (and says so) a JSON reply member for headers that has no object or clashes with one. */
  private boolean memberProblem(String member, XsdComplexType selected, boolean selectResolved, Loc at) {
    if (selected == null) {
      if (selectResolved) {
        problems.add(at, "the reply returned is not an object, so it cannot carry the member '" + member + "'");
      }
      return true;
    }
    if (selected.field(member) != null) {
      problems.add(at, "'" + member + "' is already a member of the reply (" + selected.displayName()
          + "); choose another name for the headers");
      return true;
    }
    return false;
  }

  private RequestPlan requestPlan(OperationSpec spec, PathTemplate template, SoapOperation op,
      Set<String> headerVars) {
    XsdComplexType root = op.input().jsonType();
    List<String> vars = template == null ? List.of() : template.variables();
    List<RequestPlan.Step> steps = new ArrayList<>();
    boolean bodyAtRoot = false;
    Set<String> boundVars = new LinkedHashSet<>();
    List<Binding> bindings = spec.request().bindings();
    if (bindings.isEmpty()) {
      // Default: the body is the request (for methods with a body); path variables fill the
      // top-level element of the same name.
      bodyAtRoot = hasBody(spec.method());
      for (String v : vars) {
        JsonField f = root.field(v);
        if ((f == null || f.kind() == JsonField.Kind.TEXT) && headerVars.contains(v)) {
          continue;
        }
        if (f == null || f.kind() == JsonField.Kind.TEXT) {
          problems.add(spec.routeLoc(), "path variable {" + v + "} matches no member of the request of '"
              + op.name() + "'; bind it under 'request:', e.g. 'SOME_ELEMENT: path." + v + "'"
              + Problems.suggestion(v, memberNames(root)));
          continue;
        }
        steps.add(new RequestPlan.Step(List.of(v), SourceKind.PATH, List.of(v), f.simpleType(), f.array(), true));
        boundVars.add(v);
      }
      return new RequestPlan(bodyAtRoot, steps);
    }
    for (Binding b : bindings) {
      if (b.target().isEmpty()) {
        if (b.source() != SourceKind.BODY) {
          problems.add(b.loc(), "only 'body' can fill the whole request ('.')");
          continue;
        }
        if (b.sourcePath().isEmpty()) {
          bodyAtRoot = true;
        } else {
          steps.add(new RequestPlan.Step(List.of(), SourceKind.BODY, b.sourcePath(), null, false, false));
        }
        continue;
      }
      if (b.source() == SourceKind.PATH && vars.contains(b.sourcePath().get(0))) {
        // Bound even when the target below is misspelt: the misspelling is the one problem.
        boundVars.add(b.sourcePath().get(0));
      }
      JsonField f = resolve(root, b.target(), b.loc(), "request of '" + op.name() + "'", true);
      if (f == null) {
        continue;
      }
      if (b.source() == SourceKind.PATH) {
        String v = b.sourcePath().get(0);
        if (!vars.contains(v)) {
          problems.add(b.loc(), "path variable {" + v + "} is not in the route '" + spec.path() + "'"
              + Problems.suggestion(v, vars));
          continue;
        }
      }
      if (b.source() != SourceKind.BODY && f.simpleType() == null) {
        problems.add(b.loc(), "'" + String.join(".", b.target()) + "' is an object; a " + b.source().name().toLowerCase()
            + " value can only fill a simple element or attribute");
        continue;
      }
      steps.add(new RequestPlan.Step(b.target(), b.source(), b.sourcePath(), f.simpleType(), f.array(),
          f.required() && b.target().size() == 1));
    }
    for (String v : vars) {
      if (!boundVars.contains(v) && !headerVars.contains(v)) {
        problems.add(spec.routeLoc(), "path variable {" + v + "} is not used; bind it under 'request:'");
      }
    }
    return new RequestPlan(bodyAtRoot, steps);
  }

  private static boolean hasBody(String method) {
    return "POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method);
  }

  private ResponsePlan responsePlan(OperationSpec spec, SoapOperation op) {
    Specs.ResponseSpec r = spec.response();
    if (op.output() == null) {
      if (!r.select().isEmpty() || !r.renames().isEmpty()) {
        problems.add(r.loc(), "operation '" + op.name() + "' is one-way: it has no reply to select from or rename");
      }
      return new ResponsePlan(List.of(), List.of());
    }
    XsdComplexType type = op.output().jsonType();
    if (!r.select().isEmpty()) {
      JsonField f = resolve(type, r.select(), r.selectLoc(), "reply of '" + op.name() + "'", false);
      type = f == null ? null : f.element() != null ? f.element().complexType() : null;
    }
    List<ResponsePlan.Rename> renames = new ArrayList<>();
    for (Specs.Rename rn : r.renames()) {
      if (type == null) {
        problems.add(rn.loc(), "cannot rename inside a value that is not an object");
        continue;
      }
      JsonField f = resolve(type, rn.path(), rn.loc(), "selected reply", true);
      if (f == null) {
        continue;
      }
      XsdComplexType owner = type;
      for (int i = 0; i < rn.path().size() - 1; i++) {
        owner = owner.field(rn.path().get(i)).element().complexType();
      }
      if (owner.field(rn.to()) != null) {
        problems.add(rn.loc(), "renaming to '" + rn.to() + "' collides with the member '" + rn.to() + "' of "
            + owner.displayName());
        continue;
      }
      renames.add(new ResponsePlan.Rename(rn.path(), rn.to()));
    }
    return new ResponsePlan(r.select(), renames);
  }

  /** Walks member names through complex types; reports and returns null when a name is wrong. */
  private JsonField resolve(XsdComplexType root, List<String> path, Loc loc, String what, boolean throughArrays) {
    XsdComplexType t = root;
    JsonField f = null;
    for (int i = 0; i < path.size(); i++) {
      if (t == null) {
        problems.add(loc, "'" + String.join(".", path.subList(0, i)) + "' is a simple value; it has no member '"
            + path.get(i) + "'");
        return null;
      }
      f = t.field(path.get(i));
      if (f == null) {
        problems.add(loc, "'" + path.get(i) + "' is not a member of the " + what
            + (i == 0 ? "" : " at '" + String.join(".", path.subList(0, i)) + "'")
            + Problems.suggestion(path.get(i), memberNames(t)));
        return null;
      }
      if (f.array() && !throughArrays && i < path.size() - 1) {
        problems.add(loc, "'" + String.join(".", path.subList(0, i + 1)) + "' is an array; select cannot go through it");
        return null;
      }
      t = f.element() == null ? null : f.element().complexType();
    }
    return f;
  }

  private static List<String> memberNames(XsdComplexType t) {
    List<String> names = new ArrayList<>();
    t.fields().forEach(f -> names.add(f.jsonName()));
    return names;
  }

  private FaultPlan faultPlan(OperationSpec spec, SoapOperation op, Specs.FaultDetail faultDetail) {
    Map<String, Integer> byName = new LinkedHashMap<>();
    Set<String> known = new LinkedHashSet<>();
    for (SoapOperation.Fault f : op.faults()) {
      known.add(f.name());
      known.add(f.detail().name().getLocalPart());
    }
    for (Specs.FaultRule rule : spec.faults()) {
      if (known.contains(rule.fault()) || FAULT_CODES.contains(rule.fault())) {
        byName.put(rule.fault(), rule.status());
      } else {
        Set<String> all = new LinkedHashSet<>(known);
        all.addAll(FAULT_CODES);
        problems.add(rule.loc(), "'" + rule.fault() + "' is neither a fault of operation '" + op.name()
            + "' nor a SOAP fault code" + Problems.suggestion(rule.fault(), all));
      }
    }
    return new FaultPlan(op.name(), byName, faultDetail);
  }
}
