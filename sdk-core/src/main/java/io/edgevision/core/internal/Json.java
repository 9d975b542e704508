package io.edgevision.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The SDK's one shared Jackson mapper (thread-safe once configured). Internal. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}
}
