package org.vae4j.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON for the files vae4j reads and writes (model cards, specs, checkpoint state, run logs), on Jackson.
 *
 * <p>Every file vae4j reads may come from someone else (a downloaded SavedModel is untrusted input), so reading is
 * strict and bounded: nesting at most {@value #MAX_DEPTH} levels, numbers of at most {@value #MAX_NUMBER_LENGTH}
 * characters, strings of at most {@value #MAX_STRING_LENGTH} characters, documents of at most {@value
 * #MAX_DOCUMENT_LENGTH} characters; a duplicate key, a number JSON does not allow ({@code +1}, {@code 01}, {@code
 * .5}), a number too large for a double ({@code 1e999}) and text after the value are errors; a leading UTF-8 byte
 * order mark is skipped. Every error is an {@link IllegalArgumentException} with one plain sentence that says
 * where (line and column) and what JSON expects there.
 *
 * <p>Values map to Java as: object - {@code LinkedHashMap<String, Object>} (key order kept), array - {@code
 * List<Object>}, number - {@code Long} when written without fraction or exponent and in range, else {@code
 * Double}, plus {@code String}, {@code Boolean} and {@code null}. The writer takes the same types, {@code int[]},
 * any {@code Number}, {@code Iterable} and {@code Map}; a non-finite number is written as {@code null}.
 */
public final class Json {
  /** Deepest nesting of arrays and objects a reader accepts. */
  public static final int MAX_DEPTH = 64;
  /** Longest number, in characters, a reader accepts. */
  public static final int MAX_NUMBER_LENGTH = 64;
  /** Longest string, in characters, a reader accepts. */
  public static final int MAX_STRING_LENGTH = 1 << 20;
  /** Longest document, in characters, a reader accepts. */
  public static final int MAX_DOCUMENT_LENGTH = 16 << 20;

  private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNestingDepth(MAX_DEPTH)
              .maxNumberLength(MAX_NUMBER_LENGTH)
              .maxStringLength(MAX_STRING_LENGTH)
              .maxNameLength(MAX_STRING_LENGTH)
              .maxDocumentLength(MAX_DOCUMENT_LENGTH)
              .build())
          .build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /** Two-space indents, {@code "key": value}, and arrays on one line as {@code [28, 28, 1]}. */
  private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(Separators.createDefaultInstance()
      .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
      .withArrayValueSpacing(Separators.Spacing.AFTER)
      .withObjectEmptySeparator("")
      .withArrayEmptySeparator(""));

  static {
    PRETTY.indentArraysWith(DefaultPrettyPrinter.NopIndenter.instance);
  }

  private Json() {}

  /** Parses one JSON value; trailing non-space text is an error. */
  public static Object parse(String text) {
    if (text.length() > MAX_DOCUMENT_LENGTH) {
      throw new IllegalArgumentException("invalid JSON: the text is longer than " + MAX_DOCUMENT_LENGTH
          + " characters");
    }
    JsonNode root;
    try {
      // a UTF-8 byte order mark (editors on Windows write one) is not part of the value
      root = MAPPER.readTree(text.startsWith("\uFEFF") ? text.substring(1) : text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(describe(e), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new IllegalArgumentException("invalid JSON: the text holds no value");
    }
    return toJava(root);
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
    return write(value, true);
  }

  /** Writes a value as JSON on one line (for JSON-lines files). */
  public static String writeLine(Object value) {
    return write(value, false);
  }

  private static String write(Object value, boolean indent) {
    try {
      JsonNode node = toNode(value);
      return indent ? MAPPER.writer(PRETTY).writeValueAsString(node) : MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** One sentence: what is wrong and where (line and column of the text), in plain words. */
  private static String describe(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null || at.getLineNr() < 1 ? "invalid JSON" : "invalid JSON at line " + at.getLineNr()
        + ", column " + at.getColumnNr();
    if (e instanceof StreamConstraintsException) {
      return where + ": it exceeds a size limit (nesting at most " + MAX_DEPTH + " levels, numbers at most "
          + MAX_NUMBER_LENGTH + " characters, strings at most " + MAX_STRING_LENGTH + " characters)";
    }
    return where + ": " + plain(String.valueOf(e.getOriginalMessage()));
  }

  private static final Pattern QUOTED = Pattern.compile("'([^']{1,40})'");
  private static final Pattern CODE = Pattern.compile("code (\\d+)");

  /**
   * Jackson's reason in plain words: which character or token, and what JSON expects there; never the names of
   * Jackson's features or types (its messages suggest enabling them, which a user of vae4j cannot do).
   */
  static String plain(String jackson) {
    String m = jackson.strip();
    if (m.startsWith("Duplicate field")) {
      return "duplicate key " + quoted(m);
    } else if (m.startsWith("Non-standard token")) {
      return quoted(m) + " is not a JSON number (numbers must be finite)";
    } else if (m.startsWith("Unrecognized token")) {
      return quoted(m) + " is not a JSON value (text needs double quotes; values are numbers, true, false, null,"
          + " arrays and objects)";
    } else if (m.startsWith("Trailing token")) {
      return "there is more text after the value";
    } else if (m.startsWith("Unexpected end-of-input")) {
      return "the text ends before the value is complete";
    } else if (m.startsWith("Unexpected close marker")) {
      return "a closing bracket that does not match the open one";
    } else if (m.startsWith("Invalid numeric value") || m.startsWith("Numeric value")) {
      return "a number JSON does not allow (no leading zeros, plus signs or bare points)";
    } else if (m.startsWith("Illegal unquoted character")) {
      return "the control character " + character(m) + " must be escaped inside a string";
    } else if (m.startsWith("Unrecognized character escape")) {
      return "an escape sequence JSON does not have (" + character(m) + ") inside a string";
    } else if (m.startsWith("Unexpected character") || m.startsWith("Illegal character")) {
      String c = "unexpected character " + character(m);
      if (m.contains("comment")) {
        return c + " (JSON has no comments)";
      } else if (m.contains("numeric value")) {
        return c + " in a number";
      } else if (m.contains("colon")) {
        return c + " where a colon should be";
      } else if (m.contains("field name")) {
        return c + " where a key in double quotes should start";
      } else if (m.contains("separate Object entries")) {
        return c + " where a comma or } should be";
      } else if (m.contains("separate Array entries")) {
        return c + " where a comma or ] should be";
      } else if (m.contains("valid value")) {
        return c + " where a value should be";
      }
      return c;
    }
    return "the text is not well-formed JSON";
  }

  /** The first {@code 'quoted'} word of a message, quoted again, or "a word". */
  private static String quoted(String m) {
    Matcher q = QUOTED.matcher(m);
    return q.find() ? "'" + q.group(1) + "'" : "a word";
  }

  /** The character a message names by its code: printable ones quoted, others as U+XXXX. */
  private static String character(String m) {
    Matcher c = CODE.matcher(m);
    if (!c.find()) {
      return "here";
    }
    int code;
    try {
      code = Integer.parseInt(c.group(1));
    } catch (NumberFormatException e) {
      return "here";
    }
    boolean printable = code > 0x20 && code < 0x7f || code > 0xa0 && Character.isLetterOrDigit(code);
    return printable ? "'" + new String(Character.toChars(code)) + "'" : String.format("U+%04X", code);
  }

  private static Object toJava(JsonNode node) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          map.put(e.getKey(), toJava(e.getValue()));
        }
        return map;
      }
      case ARRAY -> {
        List<Object> list = new ArrayList<>(node.size());
        for (JsonNode item : node) {
          list.add(toJava(item));
        }
        return list;
      }
      case NUMBER -> {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
          return node.longValue();
        }
        double d = node.doubleValue();
        if (!Double.isFinite(d)) {
          throw new IllegalArgumentException("invalid JSON: the number " + abbreviate(node.asText())
              + " is too large for a double");
        }
        return d;
      }
      case STRING -> {
        return node.textValue();
      }
      case BOOLEAN -> {
        return node.booleanValue();
      }
      case NULL -> {
        return null;
      }
      default -> throw new IllegalArgumentException("invalid JSON: unexpected " + node.getNodeType());
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 20 ? s : s.substring(0, 20) + "...";
  }

  private static JsonNode toNode(Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value == null) {
      return f.nullNode();
    } else if (value instanceof String s) {
      return f.textNode(s);
    } else if (value instanceof Boolean b) {
      return f.booleanNode(b);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte) {
      return f.numberNode(((Number) value).longValue());
    } else if (value instanceof Float v) {
      return Float.isFinite(v) ? f.numberNode(v) : f.nullNode();
    } else if (value instanceof Number n) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? f.numberNode(d) : f.nullNode();
    } else if (value instanceof Map<?, ?> map) {
      ObjectNode o = f.objectNode();
      map.forEach((k, v) -> o.set(String.valueOf(k), toNode(v)));
      return o;
    } else if (value instanceof Iterable<?> items) {
      ArrayNode a = f.arrayNode();
      items.forEach(v -> a.add(toNode(v)));
      return a;
    } else if (value instanceof int[] ints) {
      ArrayNode a = f.arrayNode();
      for (int v : ints) {
        a.add(v);
      }
      return a;
    }
    throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
  }
}
