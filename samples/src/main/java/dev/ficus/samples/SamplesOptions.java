package dev.ficus.samples;

import java.util.HashSet;
import java.util.Set;

/**
 * The command line of {@link SamplesMain}, parsed strictly: an unknown, repeated or
 * malformed flag is an {@link IllegalArgumentException} whose message names it.
 *
 * <p>To add a sample system, add its flags here and start it in
 * {@link SamplesMain#start(SamplesOptions)}.
 *
 * @param help      {@code --help}: print the usage and exit
 * @param soapPort  {@code --soap-port N}: the Jetty port of the SOAP samples
 * @param soapToken {@code --token T}: the auth token CustomerService expects
 * @param grpcPort  {@code --grpc-port N}: the port of the gRPC inventory sample (0 = any free port)
 */
record SamplesOptions(boolean help, int soapPort, String soapToken, int grpcPort) {

  static final int DEFAULT_SOAP_PORT = 7101;
  static final String DEFAULT_SOAP_TOKEN = "legacy-secret";
  static final int DEFAULT_GRPC_PORT = 7102;

  static final String USAGE = """
      usage: java -jar ficus-samples-all.jar [--soap-port N] [--token T] [--grpc-port N]
        --soap-port N   port of the SOAP samples on 127.0.0.1 (default %d)
        --token T       auth token required by CustomerService (default %s)
        --grpc-port N   port of the gRPC inventory sample (default %d; 0 = any free port)
        --help          print this help
      Prints "<name> <url>" for every URL served, then READY, and runs until killed."""
      .formatted(DEFAULT_SOAP_PORT, DEFAULT_SOAP_TOKEN, DEFAULT_GRPC_PORT);

  static SamplesOptions parse(String... args) {
    boolean help = false;
    int soapPort = DEFAULT_SOAP_PORT;
    String soapToken = DEFAULT_SOAP_TOKEN;
    int grpcPort = DEFAULT_GRPC_PORT;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String flag = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        flag = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      if (!seen.add(flag)) {
        throw new IllegalArgumentException(flag + " is given more than once");
      }
      switch (flag) {
        case "--help", "-h" -> help = true;
        case "--soap-port" -> {
          String text = value != null ? value : valueAfter(args, i++, flag);
          soapPort = port(flag, text);
        }
        case "--token" -> {
          soapToken = value != null ? value : valueAfter(args, i++, flag);
          if (soapToken.isEmpty()) {
            throw new IllegalArgumentException("--token must not be empty");
          }
        }
        case "--grpc-port" -> {
          String text = value != null ? value : valueAfter(args, i++, flag);
          grpcPort = "0".equals(text) ? 0 : port(flag, text);
        }
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
    }
    return new SamplesOptions(help, soapPort, soapToken, grpcPort);
  }

  private static String valueAfter(String[] args, int index, String flag) {
    if (index + 1 >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[index + 1];
  }

  private static int port(String flag, String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(flag + " must be a port number 1..65535, got '" + text + "'");
  }
}
