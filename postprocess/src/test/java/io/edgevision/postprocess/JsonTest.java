package io.edgevision.postprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.postprocess.internal.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {
  @Test
  void parsesEveryValueType() {
    Object v =
        Json.parse(
            " {\"a\": [1, -2.5e1, true, false, null], \"s\": \"x\\u00e9\\n\\\"\", \"o\": {}} ");
    Map<String, Object> m = Json.asObject(v, "root");
    assertThat(Json.asArray(m.get("a"), "a")).containsExactly(1.0, -25.0, true, false, Json.NULL);
    assertThat(m.get("s")).isEqualTo("xé\n\"");
    assertThat(Json.asObject(m.get("o"), "o")).isEmpty();
    assertThat(Json.parse("[]")).isEqualTo(List.of());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // trailing comma
        "[1,]|offset 3",
        // leading zero
        "01|offset 1",
        // unterminated string
        "\"abc|end of input",
        // two documents
        "{} {}|expected end of input",
        // bad escape
        "\"\\x\"|valid escape",
        // bare word
        "nul|expected 'null'"
      })
  void rejectsMalformedDocuments(String text, String message) {
    assertThatThrownBy(() -> Json.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed JSON")
        .hasMessageContaining(message);
  }
}
