package dev.ficus.grpc;

/**
 * Descriptors could not be loaded: a .proto that does not parse or link, a missing import, an
 * unreadable descriptor set, a server without reflection. The message is written for the
 * mapping author and already names the file and place when known. No stack trace is kept.
 */
final class DescriptorProblem extends Exception {
  DescriptorProblem(String message) {
    super(message, null, false, false);
  }
}
