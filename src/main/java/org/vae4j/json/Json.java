package org.vae4j.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer for the files vae4j owns (model cards, specs, run summaries).
 *
 * <p>Values map to Java as: object - {@code LinkedHashMap<String, Object>} (key order kept), array - {@code
 * List<Object>}, number - {@code Long} when integral and in range, else {@code Double}, plus {@code String},
 * {@code Boolean} and {@code null}. A JSON library would be one more dependency for a few hundred bytes of text.
 */
public final class Json {
  private Json() {}

  /** Parses one JSON value; trailing non-space text is an error. */
  public static Object parse(String text) {
    Parser parser = new Parser(text);
    parser.skipSpace();
    Object value = parser.value();
    parser.skipSpace();
    if (parser.pos != text.length()) {
      throw parser.error("unexpected text after the value");
    }
    return value;
  }

  /** Parses a JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) {
    Object value = parse(text);
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    return (Map<String, Object>) value;
  }

  /** Writes a value as indented JSON (two spaces), ending without a newline. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, 0);
    return out.toString();
  }

  /** Writes a value as JSON on one line (for JSON-lines files). */
  public static String writeLine(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, -1);
    return out.toString();
  }

  /** {@code indent} < 0 writes everything on one line. */
  private static void write(Object value, StringBuilder out, int indent) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      writeString(s, out);
    } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
        || value instanceof Short || value instanceof Byte) {
      out.append(value);
    } else if (value instanceof Number n) {
      double d = n.doubleValue();
      if (!Double.isFinite(d)) {
        out.append("null");
      } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        out.append((long) d).append(".0");
      } else {
        out.append(n instanceof Float ? Float.toString(n.floatValue()) : Double.toString(d));
      }
    } else if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      boolean line = indent < 0;
      out.append(line ? "{" : "{\n");
      int i = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        pad(out, indent + 1);
        writeString(String.valueOf(e.getKey()), out);
        out.append(": ");
        write(e.getValue(), out, line ? -1 : indent + 1);
        out.append(++i < map.size() ? (line ? ", " : ",\n") : (line ? "" : "\n"));
      }
      pad(out, indent);
      out.append('}');
    } else if (value instanceof Iterable<?> items) {
      List<Object> list = new ArrayList<>();
      items.forEach(list::add);
      boolean flat = indent < 0 || list.stream().noneMatch(v -> v instanceof Map || v instanceof Iterable);
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (!flat) {
          out.append('\n');
          pad(out, indent + 1);
        }
        write(list.get(i), out, indent < 0 ? -1 : indent + 1);
        if (i + 1 < list.size()) {
          out.append(flat ? ", " : ",");
        }
      }
      if (!flat && !list.isEmpty()) {
        out.append('\n');
        pad(out, indent);
      }
      out.append(']');
    } else if (value instanceof int[] ints) {
      List<Object> list = new ArrayList<>();
      for (int v : ints) {
        list.add(v);
      }
      write(list, out, indent);
    } else {
      throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
    }
  }

  private static void pad(StringBuilder out, int indent) {
    if (indent > 0) {
      out.append("  ".repeat(indent));
    }
  }

  private static void writeString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("invalid JSON at character " + pos + ": " + what);
    }

    void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    Object value() {
      if (pos >= text.length()) {
        throw error("unexpected end of text");
      }
      char c = text.charAt(pos);
      return switch (c) {
        case '{' -> object();
        case '[' -> array();
        case '"' -> string();
        case 't' -> literal("true", Boolean.TRUE);
        case 'f' -> literal("false", Boolean.FALSE);
        case 'n' -> literal("null", null);
        default -> number();
      };
    }

    Object literal(String word, Object value) {
      if (!text.startsWith(word, pos)) {
        throw error("expected " + word);
      }
      pos += word.length();
      return value;
    }

    Map<String, Object> object() {
      Map<String, Object> map = new LinkedHashMap<>();
      pos++;
      skipSpace();
      if (peek() == '}') {
        pos++;
        return map;
      }
      while (true) {
        skipSpace();
        if (peek() != '"') {
          throw error("expected a quoted key");
        }
        String key = string();
        skipSpace();
        expect(':');
        skipSpace();
        map.put(key, value());
        skipSpace();
        char c = next();
        if (c == '}') {
          return map;
        }
        if (c != ',') {
          pos--;
          throw error("expected ',' or '}'");
        }
      }
    }

    List<Object> array() {
      List<Object> list = new ArrayList<>();
      pos++;
      skipSpace();
      if (peek() == ']') {
        pos++;
        return list;
      }
      while (true) {
        skipSpace();
        list.add(value());
        skipSpace();
        char c = next();
        if (c == ']') {
          return list;
        }
        if (c != ',') {
          pos--;
          throw error("expected ',' or ']'");
        }
      }
    }

    String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return out.toString();
        }
        if (c == '\\') {
          char e = next();
          switch (e) {
            case '"', '\\', '/' -> out.append(e);
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'u' -> {
              if (pos + 4 > text.length()) {
                throw error("truncated \\u escape");
              }
              try {
                out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
              } catch (NumberFormatException ex) {
                throw error("bad \\u escape");
              }
              pos += 4;
            }
            default -> throw error("bad escape \\" + e);
          }
        } else if (c < 0x20) {
          throw error("control character in string");
        } else {
          out.append(c);
        }
      }
    }

    Object number() {
      int start = pos;
      while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
        pos++;
      }
      String token = text.substring(start, pos);
      if (token.isEmpty()) {
        throw error("unexpected character '" + text.charAt(start) + "'");
      }
      try {
        if (token.indexOf('.') < 0 && token.indexOf('e') < 0 && token.indexOf('E') < 0) {
          return Long.parseLong(token);
        }
        return Double.parseDouble(token);
      } catch (NumberFormatException e) {
        pos = start;
        throw error("bad number '" + token + "'");
      }
    }

    char peek() {
      if (pos >= text.length()) {
        throw error("unexpected end of text");
      }
      return text.charAt(pos);
    }

    char next() {
      char c = peek();
      pos++;
      return c;
    }

    void expect(char c) {
      if (next() != c) {
        pos--;
        throw error("expected '" + c + "'");
      }
    }
  }
}
