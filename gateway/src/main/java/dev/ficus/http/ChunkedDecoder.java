package dev.ficus.http;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Removes HTTP/1.1 chunked framing (RFC 9112 §7.1) from a response body as it streams by, without
 * copying: {@link #next} skips framing bytes in the buffer and says how many data bytes follow.
 * Chunk extensions and trailer fields are read and dropped. One per response; not thread-safe.
 */
public final class ChunkedDecoder extends BodyFraming {
  private static final int SIZE = 0, EXTENSION = 1, SIZE_LF = 2, DATA = 3, DATA_CR = 4, DATA_LF = 5,
      TRAILER_START = 6, TRAILER_LINE = 7, TRAILER_LF = 8, END = 9;
  /** A chunk size above this (about 1 EiB) is an attack or a bug, not a body. */
  private static final long MAX_SIZE = 1L << 60;

  private int state = SIZE;
  private long size;
  private int digits;
  private long remaining;

  /** As {@link BodyFraming#next}; the body ends after the last chunk and the trailer section. */
  @Override
  public int next(ByteBuffer in) throws IOException {
    while (true) {
      if (state == DATA) {
        return (int) Math.min(remaining, in.remaining());
      }
      if (state == END) {
        return -1;
      }
      if (!in.hasRemaining()) {
        return 0;
      }
      byte b = in.get();
      switch (state) {
        case SIZE -> {
          int v = Character.digit(b, 16);
          if (v >= 0) {
            size = size * 16 + v;
            if (++digits > 15 || size > MAX_SIZE) {
              throw new IOException("chunk size too large");
            }
          } else if (digits == 0) {
            throw new IOException("malformed chunk size");
          } else if (b == ';' || b == ' ' || b == '\t') {
            state = EXTENSION;
          } else if (b == '\r') {
            state = SIZE_LF;
          } else if (b == '\n') {
            endOfSize();
          } else {
            throw new IOException("malformed chunk size");
          }
        }
        case EXTENSION -> {
          if (b == '\n') {
            endOfSize();
          }
        }
        case SIZE_LF -> {
          if (b != '\n') {
            throw new IOException("malformed chunk size line");
          }
          endOfSize();
        }
        case DATA_CR -> {
          if (b == '\r') {
            state = DATA_LF;
          } else if (b == '\n') {
            startSize();
          } else {
            throw new IOException("chunk data longer than its size");
          }
        }
        case DATA_LF -> {
          if (b != '\n') {
            throw new IOException("chunk data longer than its size");
          }
          startSize();
        }
        case TRAILER_START -> {
          if (b == '\r') {
            state = TRAILER_LF;
          } else if (b == '\n') {
            state = END;
          } else {
            state = TRAILER_LINE;
          }
        }
        case TRAILER_LINE -> {
          if (b == '\n') {
            state = TRAILER_START;
          }
        }
        case TRAILER_LF -> {
          if (b != '\n') {
            throw new IOException("malformed trailer section");
          }
          state = END;
        }
        default -> throw new IllegalStateException("state " + state);
      }
    }
  }

  @Override
  public void consumed(int n) {
    remaining -= n;
    if (remaining == 0) {
      state = DATA_CR;
    }
  }

  private void endOfSize() {
    if (size == 0) {
      state = TRAILER_START;
    } else {
      remaining = size;
      state = DATA;
    }
  }

  private void startSize() {
    size = 0;
    digits = 0;
    state = SIZE;
  }
}
