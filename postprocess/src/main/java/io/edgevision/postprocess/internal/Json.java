package io.edgevision.postprocess.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A small, strict JSON (RFC 8259) reader using only the JDK, for configuration files such as label
 * schemas.
 *
 * <p>Values map to: object → unmodifiable {@code Map<String, Object>} (insertion order, duplicate
 * keys rejected), array → unmodifiable {@code List<Object>}, string → {@link String}, number →
 * {@link Double}, {@code true}/{@code false} → {@link Boolean}, {@code null} → {@link #NULL}.
 * Malformed input raises {@link IllegalArgumentException} naming the offset. Not meant for large
 * documents or hot paths. Threading: stateless.
 */
public final class Json {
  /** The value standing for JSON {@code null} (the API is null-free). */
  public static final Object NULL =
      new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  private static final int MAX_DEPTH = 256;

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /**
   * Parses one JSON document.
   *
   * @param text the document
   * @return the root value
   * @throws IllegalArgumentException when the text is not a single well-formed JSON value
   */
  public static Object parse(String text) {
    Json reader = new Json(text);
    reader.skipWhitespace();
    Object value = reader.readValue(0);
    reader.skipWhitespace();
    if (reader.pos != text.length()) {
      throw reader.error("expected end of input");
    }
    return value;
  }

  private Object readValue(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("expected nesting depth <= " + MAX_DEPTH);
    }
    if (pos >= text.length()) {
      throw error("expected a value, got end of input");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return readObject(depth);
      case '[':
        return readArray(depth);
      case '"':
        return readString();
      case 't':
        expectWord("true");
        return Boolean.TRUE;
      case 'f':
        expectWord("false");
        return Boolean.FALSE;
      case 'n':
        expectWord("null");
        return NULL;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return readNumber();
        }
        throw error("expected a value, got '" + c + "'");
    }
  }

  private Map<String, Object> readObject(int depth) {
    pos++;
    Map<String, Object> map = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return Collections.unmodifiableMap(map);
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a string key");
      }
      int keyAt = pos;
      String key = readString();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      Object value = readValue(depth + 1);
      if (map.put(key, value) != null) {
        pos = keyAt;
        throw error("expected unique keys, got duplicate \"" + key + "\"");
      }
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == '}') {
        return Collections.unmodifiableMap(map);
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> readArray(int depth) {
    pos++;
    List<Object> list = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return Collections.unmodifiableList(list);
    }
    while (true) {
      skipWhitespace();
      list.add(readValue(depth + 1));
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == ']') {
        return Collections.unmodifiableList(list);
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or ']'");
      }
    }
  }

  private String readString() {
    pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("expected closing '\"', got end of input");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("expected no raw control characters in strings");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("expected an escape, got end of input");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"':
        case '\\':
        case '/':
          sb.append(e);
          break;
        case 'b':
          sb.append('\b');
          break;
        case 'f':
          sb.append('\f');
          break;
        case 'n':
          sb.append('\n');
          break;
        case 'r':
          sb.append('\r');
          break;
        case 't':
          sb.append('\t');
          break;
        case 'u':
          if (pos + 4 > text.length()) {
            throw error("expected 4 hex digits");
          }
          int code = 0;
          for (int k = 0; k < 4; k++) {
            int d = Character.digit(text.charAt(pos++), 16);
            if (d < 0) {
              pos--;
              throw error("expected a hex digit");
            }
            code = code * 16 + d;
          }
          sb.append((char) code);
          break;
        default:
          pos--;
          throw error("expected a valid escape, got '\\" + e + "'");
      }
    }
  }

  private Double readNumber() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      while (isDigit(peek())) {
        pos++;
      }
    } else {
      throw error("expected a digit");
    }
    if (peek() == '.') {
      pos++;
      if (!isDigit(peek())) {
        throw error("expected a digit after '.'");
      }
      while (isDigit(peek())) {
        pos++;
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw error("expected a digit in the exponent");
      }
      while (isDigit(peek())) {
        pos++;
      }
    }
    return Double.valueOf(text.substring(start, pos));
  }

  private void expectWord(String word) {
    if (!text.startsWith(word, pos)) {
      throw error("expected '" + word + "'");
    }
    pos += word.length();
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException(
        String.format(Locale.ROOT, "malformed JSON at offset %d: %s", pos, message));
  }

  /**
   * Returns {@code value} as an object or throws naming {@code what}.
   *
   * @param value a parsed value
   * @param what a description for the message
   * @return the map
   * @throws IllegalArgumentException when {@code value} is not an object
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> asObject(@Nullable Object value, String what) {
    if (value instanceof Map) {
      return (Map<String, Object>) value;
    }
    throw new IllegalArgumentException(what + ": expected a JSON object, got " + describe(value));
  }

  /**
   * Returns {@code value} as an array or throws naming {@code what}.
   *
   * @param value a parsed value
   * @param what a description for the message
   * @return the list
   * @throws IllegalArgumentException when {@code value} is not an array
   */
  @SuppressWarnings("unchecked")
  public static List<Object> asArray(@Nullable Object value, String what) {
    if (value instanceof List) {
      return (List<Object>) value;
    }
    throw new IllegalArgumentException(what + ": expected a JSON array, got " + describe(value));
  }

  /**
   * Returns {@code value} as a string or throws naming {@code what}.
   *
   * @param value a parsed value
   * @param what a description for the message
   * @return the string
   * @throws IllegalArgumentException when {@code value} is not a string
   */
  public static String asString(@Nullable Object value, String what) {
    if (value instanceof String) {
      return (String) value;
    }
    throw new IllegalArgumentException(what + ": expected a JSON string, got " + describe(value));
  }

  /**
   * Returns {@code value} as a boolean or throws naming {@code what}.
   *
   * @param value a parsed value
   * @param what a description for the message
   * @return the boolean
   * @throws IllegalArgumentException when {@code value} is not a boolean
   */
  public static boolean asBoolean(@Nullable Object value, String what) {
    if (value instanceof Boolean) {
      return (Boolean) value;
    }
    throw new IllegalArgumentException(what + ": expected true or false, got " + describe(value));
  }

  /**
   * Returns {@code value} as an exact non-negative integer or throws naming {@code what}.
   *
   * @param value a parsed value
   * @param what a description for the message
   * @return the integer
   * @throws IllegalArgumentException when {@code value} is not a non-negative integer
   */
  public static int asIndex(@Nullable Object value, String what) {
    if (value instanceof Double) {
      double d = (Double) value;
      if (d >= 0 && d <= Integer.MAX_VALUE && d == Math.rint(d)) {
        return (int) d;
      }
    }
    throw new IllegalArgumentException(
        what + ": expected a non-negative integer, got " + describe(value));
  }

  private static String describe(@Nullable Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof String) {
      return "\"" + value + "\"";
    }
    if (value instanceof Map) {
      return "an object";
    }
    if (value instanceof List) {
      return "an array";
    }
    return String.valueOf(value);
  }
}
