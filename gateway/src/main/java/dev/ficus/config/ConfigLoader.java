package dev.ficus.config;

import dev.ficus.config.Specs.Binding;
import dev.ficus.config.Specs.ConfigSpec;
import dev.ficus.config.Specs.FaultRule;
import dev.ficus.config.Specs.GatewaySpec;
import dev.ficus.config.Specs.GrpcBackendSpec;
import dev.ficus.config.Specs.HeaderReturn;
import dev.ficus.config.Specs.MappingOptions;
import dev.ficus.config.Specs.MappingSpec;
import dev.ficus.config.Specs.OperationSpec;
import dev.ficus.config.Specs.Rename;
import dev.ficus.config.Specs.RequestSpec;
import dev.ficus.config.Specs.ResponseSpec;
import dev.ficus.config.Specs.SoapBackendSpec;
import dev.ficus.config.Specs.SourceKind;
import dev.ficus.config.Specs.UnknownFields;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads a configuration directory strictly: every {@code *.yaml}/{@code *.yml} file in it is
 * either the gateway file ({@code ficus: gateway/v1}, at most one) or a mapping file
 * ({@code ficus: mapping/v1}). Unknown keys, wrong types and malformed values are collected
 * in {@link Problems}; cross-file checks (WSDL operations, duplicate routes) happen when the
 * configuration is compiled.
 */
public final class ConfigLoader {
  public static final String GATEWAY_KIND = "gateway/v1";
  public static final String MAPPING_KIND = "mapping/v1";

  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
  private static final Pattern ROUTE = Pattern.compile("([A-Z]+)\\s+(/\\S*)");
  /** An HTTP field name (RFC 9110 token). */
  private static final Pattern HTTP_TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");
  private static final Pattern DOTTED = Pattern.compile("[A-Za-z_][A-Za-z0-9_\\-]*(\\.[A-Za-z_][A-Za-z0-9_\\-]*)*");
  private static final Set<String> UNKNOWN_FIELDS = Set.of("reject", "ignore");
  private static final Set<String> FAULT_DETAIL = Set.of("hide", "pass");

  private final YamlReader yaml;

  public ConfigLoader(Function<String, String> env) {
    this.yaml = new YamlReader(env);
  }

  /** The files a load reads: every {@code *.yaml}/{@code *.yml} directly in {@code dir}, by name. */
  public static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> {
        String n = p.getFileName().toString();
        return Files.isRegularFile(p) && (n.endsWith(".yaml") || n.endsWith(".yml"));
      }).sorted().toList();
    }
  }

  /** Loads {@code dir}; problems go to {@code problems}, and what could be read is returned. */
  public ConfigSpec load(Path dir, Problems problems) {
    List<Path> files;
    try {
      files = files(dir);
    } catch (IOException e) {
      problems.add(Loc.of(dir.toString()), "cannot read the configuration directory: " + e.getMessage());
      return new ConfigSpec(dir, GatewaySpec.defaults(Loc.of(dir.toString())), List.of());
    }
    if (files.isEmpty()) {
      problems.add(Loc.of(dir.toString()), "no *.yaml files in the configuration directory");
    }
    GatewaySpec gateway = null;
    List<MappingSpec> mappings = new ArrayList<>();
    for (Path f : files) {
      String name = f.getFileName().toString();
      String text;
      try {
        text = Files.readString(f, StandardCharsets.UTF_8);
      } catch (IOException e) {
        problems.add(Loc.of(name), "cannot read: " + e.getMessage());
        continue;
      }
      YNode root = yaml.read(name, text, problems);
      if (root == null) {
        continue;
      }
      MapReader r = MapReader.of(root, "the file", problems);
      if (r == null) {
        continue;
      }
      String kind = r.string("ficus", false);
      if (kind == null) {
        problems.add(root.loc(), "the file must start with 'ficus: " + MAPPING_KIND + "' or 'ficus: "
            + GATEWAY_KIND + "' so that Ficus knows what it is");
        continue;
      }
      if (GATEWAY_KIND.equals(kind)) {
        if (gateway != null) {
          problems.add(r.keyLoc("ficus"), "a second gateway file; the first is " + gateway.loc().file()
              + " — keep one");
          continue;
        }
        gateway = readGateway(dir, r, problems);
      } else if (MAPPING_KIND.equals(kind)) {
        MappingSpec m = readMapping(f, r, problems);
        if (m != null) {
          mappings.add(m);
        }
      } else {
        problems.add(r.keyLoc("ficus"), "unknown file kind '" + kind + "'"
            + Problems.suggestion(kind, List.of(GATEWAY_KIND, MAPPING_KIND)));
      }
    }
    if (gateway == null) {
      gateway = GatewaySpec.defaults(Loc.of(dir.toString()));
    }
    return new ConfigSpec(dir, gateway, mappings);
  }

  private GatewaySpec readGateway(Path dir, MapReader r, Problems problems) {
    return new GatewayReader(problems).in(dir).read(r);
  }

  static UnknownFields unknownFields(MapReader r, UnknownFields dflt) {
    String s = r.oneOf("unknownFields", null, UNKNOWN_FIELDS);
    return s == null ? dflt : UnknownFields.valueOf(s.toUpperCase(Locale.ROOT));
  }

  private MappingSpec readMapping(Path file, MapReader r, Problems problems) {
    SoapBackendSpec soap = null;
    GrpcBackendSpec grpc = null;
    YNode backendNode = r.required("backend");
    if (backendNode != null) {
      MapReader b = MapReader.of(backendNode, "'backend'", problems);
      if (b != null) {
        YNode soapNode = b.raw("soap");
        YNode grpcNode = b.raw("grpc");
        if (soapNode != null && grpcNode != null) {
          problems.add(b.keyLoc("grpc"), "'backend' has both 'soap' and 'grpc'; a mapping file has one backend, "
              + "so put each in its own file");
        } else if (soapNode != null) {
          soap = readSoap(soapNode, problems);
        } else if (grpcNode != null) {
          grpc = readGrpc(grpcNode, problems);
        } else {
          problems.add(b.loc(), "'backend' needs 'soap' or 'grpc'");
        }
        b.finish();
      }
    }
    MappingOptions options = new MappingOptions(null, false);
    YNode optionsNode = r.raw("options");
    if (optionsNode != null) {
      MapReader o = MapReader.of(optionsNode, "'options'", problems);
      if (o != null) {
        options = new MappingOptions(unknownFields(o, null), o.bool("preciseNumbersAsStrings", false));
        o.finish();
      }
    }
    List<OperationSpec> ops = new ArrayList<>();
    // A gRPC mapping may consist of its google.api.http rules alone.
    YNode opsNode = grpc != null ? r.raw("operations") : r.required("operations");
    if (opsNode instanceof YNode.YList list) {
      if (list.items().isEmpty() && grpc == null) {
        problems.add(list.loc(), "'operations' is empty; add at least one operation");
      }
      for (YNode item : list.items()) {
        OperationSpec op = readOperation(item, problems);
        if (op != null) {
          ops.add(op);
        }
      }
    } else if (opsNode != null) {
      problems.add(opsNode.loc(), "'operations' must be a list, not " + opsNode.kindName());
    }
    r.finish();
    return new MappingSpec(r.loc(), file, soap, grpc, options, ops);
  }

  private GrpcBackendSpec readGrpc(YNode node, Problems problems) {
    MapReader g = MapReader.of(node, "'grpc'", problems);
    if (g == null) {
      return null;
    }
    String target = g.string("target", true);
    String proto = g.string("proto", false);
    List<String> protoPath = strings(g.raw("protoPath"), "'protoPath'", problems);
    String descriptorSet = g.string("descriptorSet", false);
    boolean reflection = g.bool("reflection", false);
    List<String> given = new ArrayList<>();
    if (proto != null) {
      given.add("proto");
    }
    if (descriptorSet != null) {
      given.add("descriptorSet");
    }
    if (reflection) {
      given.add("reflection");
    }
    if (given.isEmpty()) {
      problems.add(g.loc(), "'grpc' needs a descriptor source: 'proto: FILE.proto', 'descriptorSet: FILE' "
          + "(protoc --include_imports --descriptor_set_out) or 'reflection: true'");
    } else if (given.size() > 1) {
      problems.add(g.keyLoc(given.get(1)), "'grpc' takes one descriptor source, not " + String.join(" and ", given));
    }
    if (!protoPath.isEmpty() && proto == null) {
      problems.add(g.keyLoc("protoPath"), "'protoPath' is where the imports of 'proto' are found; it needs 'proto'");
    }
    List<String> services = strings(g.raw("services"), "'services'", problems);
    boolean httpRules = g.bool("httpRules", true);
    boolean rpcRoutes = g.bool("rpcRoutes", false);
    boolean directUnary = g.bool("directUnary", true);
    Duration timeout = g.duration("timeout", null);
    GrpcBackendSpec.Tls tls = readTls(g, problems);
    Duration keepAlive = g.duration("keepAlive", null);
    List<String> forward = List.of();
    List<String> ret = List.of();
    Loc forwardLoc = g.loc();
    Loc returnLoc = g.loc();
    YNode md = g.raw("metadata");
    if (md != null) {
      MapReader m = MapReader.of(md, "'metadata'", problems);
      if (m != null) {
        forward = lower(strings(m.raw("forward"), "'forward'", problems));
        ret = lower(strings(m.raw("return"), "'return'", problems));
        forwardLoc = m.keyLoc("forward");
        returnLoc = m.keyLoc("return");
        m.finish();
      }
    }
    GrpcBackendSpec.Json json = new GrpcBackendSpec.Json(false, false, false);
    YNode j = g.raw("json");
    if (j != null) {
      MapReader m = MapReader.of(j, "'json'", problems);
      if (m != null) {
        json = new GrpcBackendSpec.Json(m.bool("emitDefaults", false), m.bool("enumsAsNumbers", false),
            m.bool("originalNames", false));
        m.finish();
      }
    }
    GrpcBackendSpec.Debug debug = readDebug(g, problems);
    g.finish();
    return new GrpcBackendSpec(g.loc(), target, g.keyLoc("target"), proto, g.keyLoc("proto"), protoPath,
        g.keyLoc("protoPath"), descriptorSet, g.keyLoc("descriptorSet"), reflection, g.keyLoc("reflection"),
        services, g.keyLoc("services"), httpRules, rpcRoutes, timeout, tls, keepAlive, forward, forwardLoc, ret,
        returnLoc, json, directUnary, debug);
  }

  /** {@code debug: true|false} or {@code debug: {redact: [...]}}; null when off. */
  private static GrpcBackendSpec.Debug readDebug(MapReader g, Problems problems) {
    YNode node = g.raw("debug");
    if (node == null || node instanceof YNode.YScalar) {
      return Boolean.TRUE.equals(g.bool("debug", false))
          ? new GrpcBackendSpec.Debug(g.keyLoc("debug"), List.of(), g.keyLoc("debug")) : null;
    }
    MapReader d = MapReader.of(node, "'debug'", problems);
    if (d == null) {
      return null;
    }
    List<String> redact = lower(strings(d.raw("redact"), "'redact'", problems));
    GrpcBackendSpec.Debug debug = new GrpcBackendSpec.Debug(d.loc(), redact, d.keyLoc("redact"));
    d.finish();
    return debug;
  }

  /** {@code tls: true|false} or {@code tls: {ca, cert, key, authority}}; null for plaintext. */
  private static GrpcBackendSpec.Tls readTls(MapReader g, Problems problems) {
    YNode node = g.raw("tls");
    if (node == null || node instanceof YNode.YScalar) {
      return Boolean.TRUE.equals(g.bool("tls", false))
          ? new GrpcBackendSpec.Tls(g.keyLoc("tls"), null, null, null, null, null, null, null) : null;
    }
    MapReader t = MapReader.of(node, "'tls'", problems);
    if (t == null) {
      return null;
    }
    GrpcBackendSpec.Tls tls = new GrpcBackendSpec.Tls(t.loc(), t.string("ca", false), t.keyLoc("ca"),
        t.string("cert", false), t.keyLoc("cert"), t.string("key", false), t.keyLoc("key"),
        t.string("authority", false));
    if ((tls.cert() == null) != (tls.key() == null)) {
      problems.add(tls.cert() == null ? tls.keyLoc() : tls.certLoc(),
          "a client certificate needs both 'cert' (PEM certificate chain) and 'key' (its PKCS#8 PEM private key)");
    }
    t.finish();
    return tls;
  }

  private static List<String> lower(List<String> names) {
    return names.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
  }

  /** A string or a list of strings. */
  private static List<String> strings(YNode n, String what, Problems problems) {
    List<String> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    if (n instanceof YNode.YScalar s && s.type() != YNode.YScalar.Type.NULL) {
      out.add(s.text());
    } else if (n instanceof YNode.YList l) {
      for (YNode i : l.items()) {
        if (i instanceof YNode.YScalar s && s.type() != YNode.YScalar.Type.NULL) {
          out.add(s.text());
        } else {
          problems.add(i.loc(), what + " must hold strings, not " + i.kindName());
        }
      }
    } else {
      problems.add(n.loc(), what + " must be a list of strings, not " + n.kindName());
    }
    return out;
  }

  private SoapBackendSpec readSoap(YNode node, Problems problems) {
    MapReader s = MapReader.of(node, "'soap'", problems);
    if (s == null) {
      return null;
    }
    String wsdl = s.string("wsdl", true);
    String service = s.string("service", false);
    String port = s.string("port", false);
    String endpoint = s.string("endpoint", false);
    String ca = s.string("ca", false);
    Duration timeout = s.duration("timeout", null);
    String faultDetail = s.oneOf("faultDetail", "hide", FAULT_DETAIL);
    Map<String, YNode> headers = new LinkedHashMap<>();
    YNode h = s.raw("headers");
    if (h != null) {
      MapReader hr = MapReader.of(h, "'headers'", problems);
      if (hr != null) {
        hr.node().entries().forEach((k, e) -> headers.put(k, e.value()));
        hr.node().entries().keySet().forEach(hr::has);
        hr.finish();
      }
    }
    s.finish();
    return new SoapBackendSpec(s.loc(), wsdl, s.keyLoc("wsdl"), service, s.keyLoc("service"), port,
        s.keyLoc("port"), endpoint, s.keyLoc("endpoint"), timeout, headers, ca, s.keyLoc("ca"),
        Specs.FaultDetail.valueOf(faultDetail.toUpperCase(Locale.ROOT)));
  }

  private OperationSpec readOperation(YNode node, Problems problems) {
    MapReader o = MapReader.of(node, "an operation", problems);
    if (o == null) {
      return null;
    }
    String route = o.string("route", true);
    String method = null;
    String path = null;
    if (route != null) {
      var m = ROUTE.matcher(route.trim());
      if (m.matches() && METHODS.contains(m.group(1))) {
        method = m.group(1);
        path = m.group(2);
      } else {
        problems.add(o.keyLoc("route"), "'route' must be 'METHOD /path', e.g. 'GET /api/customers/{id}', with METHOD one of "
            + String.join(", ", new java.util.TreeSet<>(METHODS)) + "; got '" + route + "'");
      }
    }
    String call = o.string("call", true);
    Duration timeout = o.duration("timeout", null);
    RequestSpec request = readRequest(o, problems);
    ResponseSpec response = readResponse(o, problems);
    List<FaultRule> faults = new ArrayList<>();
    YNode f = o.raw("faults");
    if (f != null) {
      MapReader fr = MapReader.of(f, "'faults'", problems);
      if (fr != null) {
        for (YNode.Entry e : fr.node().entries().values()) {
          fr.has(e.key());
          Integer status = MapReader.integerValue(e.value(), e.key(), 400, 599, problems, null);
          if (status != null) {
            faults.add(new FaultRule(e.keyLoc(), e.key(), status));
          }
        }
        fr.finish();
      }
    }
    UnknownFields unknown = unknownFields(o, null);
    YNode sh = o.raw("soapHeaders");
    List<Binding> soapHeaders = List.of();
    if (sh != null) {
      MapReader hr = MapReader.of(sh, "'soapHeaders' (a map of HEADER_ELEMENT[.member]: source)", problems);
      soapHeaders = hr == null ? List.of() : bindings(hr, problems);
    }
    Specs.Policies policies = PolicyReader.read(o.raw("policies"), problems);
    o.finish();
    return new OperationSpec(o.loc(), method, path, o.keyLoc("route"), call, o.keyLoc("call"), timeout,
        request, response, faults, unknown, soapHeaders, policies);
  }

  private RequestSpec readRequest(MapReader o, Problems problems) {
    YNode n = o.raw("request");
    if (n == null) {
      return new RequestSpec(o.loc(), List.of());
    }
    if (n instanceof YNode.YScalar s && "body".equals(s.text())) {
      return new RequestSpec(n.loc(), List.of(new Binding(n.loc(), List.of(), SourceKind.BODY, List.of())));
    }
    MapReader r = MapReader.of(n, "'request' (either the word 'body' or a map of element: source)", problems);
    if (r == null) {
      return new RequestSpec(n.loc(), List.of());
    }
    return new RequestSpec(n.loc(), bindings(r, problems));
  }

  /** The entries of a map of target: source ({@code request:}, {@code soapHeaders:}). */
  private static List<Binding> bindings(MapReader r, Problems problems) {
    List<Binding> bindings = new ArrayList<>();
    for (YNode.Entry e : r.node().entries().values()) {
      r.has(e.key());
      List<String> target = ".".equals(e.key()) ? List.of() : dotted(e.key(), e.keyLoc(), "element path", problems);
      if (target == null) {
        continue;
      }
      String src = e.value() instanceof YNode.YScalar s && s.type() == YNode.YScalar.Type.STRING ? s.text() : null;
      Binding b = src == null ? null : parseSource(e.keyLoc(), target, src);
      if (b == null) {
        problems.add(e.value().loc(), "the source of '" + e.key() + "' must be path.NAME, query.NAME, header.NAME, "
            + "body or body.FIELD; got " + (src == null ? e.value().kindName() : "'" + src + "'"));
        continue;
      }
      bindings.add(b);
    }
    r.finish();
    return bindings;
  }

  private static Binding parseSource(Loc loc, List<String> target, String src) {
    if ("body".equals(src)) {
      return new Binding(loc, target, SourceKind.BODY, List.of());
    }
    int dot = src.indexOf('.');
    if (dot <= 0 || dot == src.length() - 1) {
      return null;
    }
    String kind = src.substring(0, dot);
    String rest = src.substring(dot + 1);
    return switch (kind) {
      case "path" -> new Binding(loc, target, SourceKind.PATH, List.of(rest));
      case "query" -> new Binding(loc, target, SourceKind.QUERY, List.of(rest));
      case "header" -> new Binding(loc, target, SourceKind.HEADER, List.of(rest.toLowerCase(Locale.ROOT)));
      case "body" -> DOTTED.matcher(rest).matches()
          ? new Binding(loc, target, SourceKind.BODY, Arrays.asList(rest.split("\\.")))
          : null;
      default -> null;
    };
  }

  private ResponseSpec readResponse(MapReader o, Problems problems) {
    YNode n = o.raw("response");
    if (n == null) {
      return new ResponseSpec(o.loc(), List.of(), o.loc(), List.of(), null, o.loc(), List.of());
    }
    MapReader r = MapReader.of(n, "'response'", problems);
    if (r == null) {
      return new ResponseSpec(n.loc(), List.of(), n.loc(), List.of(), null, n.loc(), List.of());
    }
    String select = r.string("select", false);
    List<String> selectPath = List.of();
    if (select != null) {
      List<String> p = dotted(select, r.keyLoc("select"), "'select' path", problems);
      selectPath = p == null ? List.of() : p;
    }
    List<Rename> renames = new ArrayList<>();
    YNode rn = r.raw("rename");
    if (rn != null) {
      MapReader rr = MapReader.of(rn, "'rename'", problems);
      if (rr != null) {
        for (YNode.Entry e : rr.node().entries().values()) {
          rr.has(e.key());
          List<String> path = dotted(e.key(), e.keyLoc(), "field path", problems);
          String to = e.value() instanceof YNode.YScalar s && s.type() == YNode.YScalar.Type.STRING ? s.text() : null;
          if (to == null || to.isBlank()) {
            problems.add(e.value().loc(), "the new name of '" + e.key() + "' must be a string");
          } else if (path != null) {
            renames.add(new Rename(e.keyLoc(), path, to));
          }
        }
        rr.finish();
      }
    }
    String into = null;
    List<HeaderReturn> headerReturns = new ArrayList<>();
    YNode sh = r.raw("soapHeaders");
    if (sh instanceof YNode.YScalar s && s.type() == YNode.YScalar.Type.STRING) {
      into = memberTarget(s.text());
      if (into == null) {
        problems.add(s.loc(), "'soapHeaders' as one value must be body.NAME (every reply header under the member "
            + "NAME), or a map of HEADER_ELEMENT: header.NAME or body.NAME; got '" + s.text() + "'");
      }
    } else if (sh != null) {
      MapReader hr = MapReader.of(sh, "'soapHeaders' (body.NAME, or a map of HEADER_ELEMENT: header.NAME or body.NAME)",
          problems);
      if (hr != null) {
        for (YNode.Entry e : hr.node().entries().values()) {
          hr.has(e.key());
          String to = e.value() instanceof YNode.YScalar s && s.type() == YNode.YScalar.Type.STRING ? s.text() : null;
          HeaderReturn hrt = to == null ? null : headerReturn(e.keyLoc(), e.key(), to);
          if (hrt == null) {
            problems.add(e.value().loc(), "where the reply header '" + e.key() + "' goes must be header.NAME "
                + "(an HTTP response header) or body.NAME (a member of the JSON reply); got "
                + (to == null ? e.value().kindName() : "'" + to + "'"));
          } else {
            headerReturns.add(hrt);
          }
        }
        hr.finish();
      }
    }
    r.finish();
    return new ResponseSpec(n.loc(), selectPath, r.keyLoc("select"), renames, into,
        sh == null ? n.loc() : sh.loc(), headerReturns);
  }

  /** {@code body.NAME} → NAME (one member name, no dots), else null. */
  private static String memberTarget(String s) {
    return s.startsWith("body.") && s.length() > 5 && s.indexOf('.', 5) < 0 ? s.substring(5) : null;
  }

  private static HeaderReturn headerReturn(Loc loc, String element, String to) {
    String member = memberTarget(to);
    if (member != null) {
      return new HeaderReturn(loc, element, SourceKind.BODY, member);
    }
    if (to.startsWith("header.") && HTTP_TOKEN.matcher(to.substring(7)).matches()) {
      return new HeaderReturn(loc, element, SourceKind.HEADER, to.substring(7));
    }
    return null;
  }

  private static List<String> dotted(String s, Loc loc, String what, Problems problems) {
    if (!DOTTED.matcher(s).matches()) {
      problems.add(loc, "'" + s + "' is not a valid " + what + " (names separated by dots, e.g. customer.address)");
      return null;
    }
    return Arrays.asList(s.split("\\."));
  }
}
