package org.vae4j.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    assertTrue(e.getMessage().startsWith("invalid JSON at character"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("{} extra"));
    assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
  }

  @Test
  void decodesUnicodeEscapes() {
    assertEquals("é\u0001", Json.parse("\"\\u00e9\\u0001\""));
  }
}
