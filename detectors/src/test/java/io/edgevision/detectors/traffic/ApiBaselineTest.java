package io.edgevision.detectors.traffic;

import io.edgevision.core.testing.ApiBaseline;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Fails when the public API of this module differs from the committed {@code api/detectors.api}: an
 * API change is a visible decision. Regenerate after an intended change with {@value
 * ApiBaseline#UPDATE_COMMAND}.
 */
class ApiBaselineTest {
  @Test
  void publicApiMatchesTheCommittedBaseline() throws Exception {
    Path classes =
        Path.of(
            TrafficLightDetector.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ApiBaseline.check("detectors", classes);
  }
}
