package io.edgevision.android;

import static org.assertj.core.api.Assertions.assertThat;
import static org.robolectric.Shadows.shadowOf;

import android.Manifest;
import android.content.pm.PackageManager;
import android.os.Looper;
import io.edgevision.android.frames.CameraPlanes;
import io.edgevision.android.pipeline.FrameProcessor;
import io.edgevision.android.pipeline.Mark;
import io.edgevision.android.pipeline.TrafficLightPipeline;
import io.edgevision.core.Budget;
import io.edgevision.core.ExecutionProvider;
import io.edgevision.detectors.traffic.ModelCatalog;
import io.edgevision.detectors.traffic.TrafficLight;
import io.edgevision.detectors.traffic.TrafficLightResult;
import java.io.InputStream;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.robolectric.Robolectric;
import org.robolectric.android.controller.ActivityController;
import org.robolectric.annotation.Config;
import org.robolectric.shadows.ShadowActivity;

/**
 * The activity under Robolectric (API 34) on the desktop JVM, with the real SDK, model and native
 * runtimes.
 */
@RunWith(SdkOutsideSandboxRunner.class)
@Config(sdk = 34)
public class DemoActivityTest {
  @Test
  public void startsAndAsksForTheCamera() {
    try (ActivityController<DemoActivity> c =
        Robolectric.buildActivity(DemoActivity.class).setup()) {
      ShadowActivity.PermissionsRequest r = shadowOf(c.get()).getLastRequestedPermission();
      assertThat(r).as("a permission request").isNotNull();
      assertThat(r.requestedPermissions).containsExactly(Manifest.permission.CAMERA);
      assertThat(r.requestCode).isEqualTo(DemoActivity.CAMERA_REQUEST);
      assertThat(c.get().processor()).as("nothing runs before the permission").isNull();
    }
  }

  @Test
  public void refusedShowsTheExplanationNotACrash() {
    try (ActivityController<DemoActivity> c =
        Robolectric.buildActivity(DemoActivity.class).setup()) {
      c.get()
          .onRequestPermissionsResult(
              DemoActivity.CAMERA_REQUEST,
              new String[] {Manifest.permission.CAMERA},
              new int[] {PackageManager.PERMISSION_DENIED});
      assertThat(c.get().deniedText()).isNotNull();
      assertThat(c.get().deniedText().toString()).contains("needs the camera").contains("refused");
      // pause/resume (what the permission dialog itself causes) keeps the explanation and does not
      // ask again
      ShadowActivity.PermissionsRequest before = shadowOf(c.get()).getLastRequestedPermission();
      c.pause().resume();
      assertThat(shadowOf(c.get()).getLastRequestedPermission()).isSameAs(before);
      assertThat(c.get().deniedText()).isNotNull();
      assertThat(c.get().processor()).isNull();
    }
  }

  @Test
  public void bundledFrameThroughTheCameraPathDrawsTheSdksDetections() throws Exception {
    shadowOf(org.robolectric.RuntimeEnvironment.getApplication())
        .grantPermissions(Manifest.permission.CAMERA);
    byte[] scene;
    try (InputStream in =
        ModelCatalog.class
            .getClassLoader()
            .getResourceAsStream(ModelCatalog.SAMPLE_SCENE_RESOURCE)) {
      scene = in.readAllBytes();
    }
    CameraPlanes planes = CameraPlanes.fromPhoto(scene, ModelCatalog.SAMPLE_SCENE_RESOURCE);
    try (ActivityController<DemoActivity> c =
        Robolectric.buildActivity(DemoActivity.class).setup()) {
      DemoActivity a = c.get();
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (a.trafficPipeline() == null && System.nanoTime() < deadline) {
        Thread.sleep(50);
        shadowOf(Looper.getMainLooper()).idle();
      }
      assertThat(a.trafficPipeline()).as("model loaded from the APK's assets").isNotNull();
      FrameProcessor p = a.processor();
      assertThat(p).isNotNull();
      p.budgetMillis(10_000); // generous: this checks drawing, not speed (a shared CI machine)

      p.onFrame(planes.width(), planes.height(), planes.y(), planes.u(), planes.v(), 90);
      while (a.lastShown() == null && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      shadowOf(Looper.getMainLooper()).idle();
      FrameProcessor.Shown shown = a.lastShown();
      assertThat(shown).as("a processed frame").isNotNull();

      // what the SDK itself returns for the same NV21 frame
      TrafficLightResult expected;
      try (TrafficLightPipeline direct =
          TrafficLightPipeline.create(
              ModelCatalog.builtinModel().read(), List.of(ExecutionProvider.CPU))) {
        expected = direct.detect(planes.toNv21(), Budget.unlimited());
      }
      assertThat(expected.lights()).as("the sample scene has lights").isNotEmpty();
      assertThat(shown.outcome()).isEqualTo("COMPLETED");
      assertThat(shown.marks()).hasSameSizeAs(expected.lights());
      for (int i = 0; i < expected.lights().size(); i++) {
        TrafficLight l = expected.lights().get(i);
        Mark m = shown.marks().get(i);
        assertThat(m.x1()).isEqualTo(l.box().x1());
        assertThat(m.y2()).isEqualTo(l.box().y2());
        assertThat(m.label()).startsWith(l.label());
      }
      assertThat(shown.rotationDegrees()).isEqualTo(90);
      // drawn: the overlay holds the marks and the heads-up line shows outcome, budget, stages and
      // provider
      assertThat(a.headsUpText().toString())
          .startsWith("COMPLETED")
          .contains("(budget 10000 ms)")
          .contains("pre ")
          .contains("inf ")
          .contains("post ")
          .contains("p50/p95")
          .contains("NNAPI");

      // pause closes camera, runner and sessions
      c.pause();
      assertThat(a.processor()).isNull();
      assertThat(a.trafficPipeline()).isNull();
    }
  }
}
