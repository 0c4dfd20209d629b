package org.vae4j.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void writesAndReadsBackNestedValues() {
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("name", "quote \" backslash \\ newline \n tab \t");
    in.put("shape", new int[] {28, 28, 1});
    in.put("elbo", -98.125);
    in.put("count", 60000L);
    in.put("flag", true);
    in.put("none", null);
    in.put("nested", Map.of("k", List.of(1L, 2L)));
    Map<String, Object> out = Json.parseObject(Json.write(in));
    assertEquals(in.get("name"), out.get("name"));
    assertEquals(List.of(28L, 28L, 1L), out.get("shape"));
    assertEquals(-98.125, out.get("elbo"));
    assertEquals(60000L, out.get("count"));
    assertEquals(true, out.get("flag"));
    assertTrue(out.containsKey("none"));
    assertEquals(Map.of("k", List.of(1L, 2L)), out.get("nested"));
  }

  @Test
  void integralDoublesStayDoubles() {
    assertEquals(2.0, Json.parse(Json.write(2.0)));
    assertEquals(1e-8, (Double) Json.parse(Json.write(1e-8)), 0);
  }

  @Test
  void rejectsMalformedTextWithAPosition() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1,}"));
    assertTrue(e.getMessage().startsWith("invalid JSON at line 1, column"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("{} extra"));
    assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
  }

  @Test
  void decodesUnicodeEscapes() {
    assertEquals("é\u0001", Json.parse("\"\\u00e9\\u0001\""));
  }

  @Test
  void refusesDeepNestingWithOneSentenceInsteadOfAStackOverflow() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
    assertTrue(e.getMessage().contains("nesting at most " + Json.MAX_DEPTH + " levels"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
    assertTrue(Json.parse(ok) instanceof List);
  }

  @Test
  void refusesNumbersJsonDoesNotAllow() {
    for (String bad : List.of("+1", "01", ".5", "1.", "-", "NaN", "Infinity", "0x10", "1e999", "-1e999",
        "1" + "0".repeat(Json.MAX_NUMBER_LENGTH + 1))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("invalid JSON"), bad + ": " + e.getMessage());
    }
    assertEquals(-0.5, Json.parse("-0.5"));
    assertEquals(1e300, Json.parse("1e300"));
    // an integer beyond a long is still a number, read as a double
    assertEquals(1e19, Json.parse("10000000000000000000"));
  }

  @Test
  void refusesDuplicateKeysAndOversizedText() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Json.parse("{\"latent_dim\": 2, \"latent_dim\": 3}"));
    assertTrue(e.getMessage().contains("duplicate key 'latent_dim'"), e.getMessage());
    String longString = "\"" + "a".repeat(Json.MAX_STRING_LENGTH + 1) + "\"";
    assertThrows(IllegalArgumentException.class, () -> Json.parse(longString));
    assertThrows(IllegalArgumentException.class, () -> Json.parse(""));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("   "));
  }

  @Test
  void writesNonFiniteNumbersAsNull() {
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("nan", Double.NaN);
    in.put("inf", Float.POSITIVE_INFINITY);
    Map<String, Object> out = Json.parseObject(Json.writeLine(in));
    assertTrue(out.containsKey("nan") && out.get("nan") == null && out.get("inf") == null, out.toString());
    assertFalse(Json.writeLine(in).contains("\n"));
  }

  /** Malformed documents of every kind Jackson distinguishes, each with the plain reason it must give. */
  @Test
  void everyErrorIsOnePlainSentenceWithLineAndColumn() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("{\"a\": NaN}", "'NaN' is not a JSON number");
    cases.put("{\"a\": -Infinity}", "'-Infinity' is not a JSON number");
    cases.put("{\"a\": 1} trailing", "'trailing' is not a JSON value");
    cases.put("{\"a\": 1} 2", "there is more text after the value");
    cases.put("{\"a\": 1} {}", "there is more text after the value");
    cases.put("{\"a\": 1", "the text ends before the value is complete");
    cases.put("[1, 2}", "a closing bracket that does not match the open one");
    cases.put("{\"a\": 01}", "a number JSON does not allow");
    cases.put("{\"a\": +1}", "unexpected character '+'");
    cases.put("{\"a\": .5}", "unexpected character '.' where a value should be");
    cases.put("{\"a\": \"x\ny\"}", "the control character U+000A must be escaped inside a string");
    cases.put("{\"a\": \"\\q\"}", "an escape sequence JSON does not have ('q')");
    cases.put("// note\n{}", "unexpected character '/' (JSON has no comments)");
    cases.put("{a: 1}", "unexpected character 'a' where a key in double quotes should start");
    cases.put("{'a': 1}", "unexpected character ''' where a key in double quotes should start");
    cases.put("{\"a\" 1}", "unexpected character '1' where a colon should be");
    cases.put("{\"a\": 1 \"b\": 2}", "unexpected character '\"' where a comma or } should be");
    cases.put("[1 2]", "unexpected character '2' where a comma or ] should be");
    cases.put("{\"a\": tru}", "'tru' is not a JSON value");
    cases.put("{\"a\": 1, \"a\": 2}", "duplicate key 'a'");
    cases.forEach((text, reason) -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text), text);
      String m = e.getMessage();
      assertTrue(m.matches("invalid JSON at line \\d+, column \\d+: .+"), text + " -> " + m);
      assertTrue(m.contains(reason), text + " -> " + m + " (expected: " + reason + ")");
      for (String jargon : new String[] {"Feature", "`", "JsonNode", "Source:", "0x", "token ("}) {
        assertFalse(m.contains(jargon), text + " -> " + m);
      }
      assertFalse(m.contains("\n"), text + " -> " + m);
    });
  }

  @Test
  void skipsAByteOrderMarkAndCountsLines() {
    assertEquals(Map.of("a", 1L), Json.parse("\uFEFF{\"a\": 1}"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Json.parse("{\n  \"a\": 1,\n  \"b\": nope\n}"));
    assertTrue(e.getMessage().startsWith("invalid JSON at line 3, column "), e.getMessage());
  }
}
