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
 * <p>The HTTP ports may be 0 for any free port (the printed URLs tell which); otherwise the
 * three ports must differ, and a clash is refused naming both flags.
 *
 * @param help           {@code --help}: print the usage and exit
 * @param soapPort       {@code --soap-port N}: the Jetty port of the SOAP samples
 * @param soapToken      {@code --token T}: the auth token CustomerService expects
 * @param monolithPort   {@code --monolith-port N}: the port of the legacy HTTP monolith
 * @param newServicePort {@code --new-service-port N}: the port of the new customer service
 * @param grpcPort       {@code --grpc-port N}: the port of the gRPC inventory sample (0 = any free port)
 */
record SamplesOptions(boolean help, int soapPort, String soapToken, int monolithPort,
    int newServicePort, int grpcPort) {

  static final int DEFAULT_SOAP_PORT = 7101;
  static final String DEFAULT_SOAP_TOKEN = "legacy-secret";
  static final int DEFAULT_MONOLITH_PORT = 7103;
  static final int DEFAULT_NEW_SERVICE_PORT = 7104;
  static final int DEFAULT_GRPC_PORT = 7102;

  static final String USAGE = """
      usage: java -jar ficus-samples-all.jar [--soap-port N] [--token T]
                                             [--monolith-port N] [--new-service-port N]
                                             [--grpc-port N]
        --soap-port N          port of the SOAP samples on 127.0.0.1 (default %d)
        --token T              auth token required by CustomerService (default %s)
        --monolith-port N      port of the legacy HTTP shop monolith (default %d;
                               0 = any free port, as printed)
        --new-service-port N   port of the new customer service (default %d; 0 as above)
        --grpc-port N          port of the gRPC inventory sample (default %d; 0 as above)
        --help                 print this help
      Prints "<name> <url>" for every URL served, then READY, and runs until killed."""
      .formatted(DEFAULT_SOAP_PORT, DEFAULT_SOAP_TOKEN, DEFAULT_MONOLITH_PORT,
          DEFAULT_NEW_SERVICE_PORT, DEFAULT_GRPC_PORT);

  static SamplesOptions parse(String... args) {
    boolean help = false;
    int soapPort = DEFAULT_SOAP_PORT;
    String soapToken = DEFAULT_SOAP_TOKEN;
    int monolithPort = DEFAULT_MONOLITH_PORT;
    int newServicePort = DEFAULT_NEW_SERVICE_PORT;
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
        case "--monolith-port" ->
            monolithPort = portOrAny(flag, value != null ? value : valueAfter(args, i++, flag));
        case "--new-service-port" ->
            newServicePort = portOrAny(flag, value != null ? value : valueAfter(args, i++, flag));
        case "--grpc-port" ->
            grpcPort = portOrAny(flag, value != null ? value : valueAfter(args, i++, flag));
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
    }
    distinct("--soap-port", soapPort, "--monolith-port", monolithPort);
    distinct("--soap-port", soapPort, "--new-service-port", newServicePort);
    distinct("--monolith-port", monolithPort, "--new-service-port", newServicePort);
    distinct("--soap-port", soapPort, "--grpc-port", grpcPort);
    distinct("--monolith-port", monolithPort, "--grpc-port", grpcPort);
    distinct("--new-service-port", newServicePort, "--grpc-port", grpcPort);
    return new SamplesOptions(help, soapPort, soapToken, monolithPort, newServicePort, grpcPort);
  }

  private static void distinct(String flag, int port, String otherFlag, int otherPort) {
    if (port != 0 && port == otherPort) {
      throw new IllegalArgumentException(
          flag + " and " + otherFlag + " must differ, both are " + port);
    }
  }

  private static String valueAfter(String[] args, int index, String flag) {
    if (index + 1 >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[index + 1];
  }

  private static int port(String flag, String text) {
    return port(flag, text, 1);
  }

  private static int portOrAny(String flag, String text) {
    return port(flag, text, 0);
  }

  private static int port(String flag, String text, int lowest) {
    try {
      int port = Integer.parseInt(text);
      if (port >= lowest && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        flag + " must be a port number " + lowest + "..65535, got '" + text + "'");
  }
}
