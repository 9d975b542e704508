package io.edgevision.android;

import android.Manifest;
import android.app.Activity;
import android.content.Intent;
import android.content.pm.PackageManager;
import android.graphics.Color;
import android.graphics.SurfaceTexture;
import android.net.Uri;
import android.os.Bundle;
import android.os.Handler;
import android.os.Looper;
import android.provider.Settings;
import android.security.keystore.KeyGenParameterSpec;
import android.security.keystore.KeyProperties;
import android.view.Gravity;
import android.view.Surface;
import android.view.TextureView;
import android.view.ViewGroup;
import android.widget.Button;
import android.widget.EditText;
import android.widget.FrameLayout;
import android.widget.LinearLayout;
import android.widget.SeekBar;
import android.widget.TextView;
import io.edgevision.android.pipeline.FacePipeline;
import io.edgevision.android.pipeline.FrameProcessor;
import io.edgevision.android.pipeline.TrafficLightPipeline;
import io.edgevision.core.ModelSource;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.security.KeyStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.jspecify.annotations.Nullable;

/**
 * The demo's one screen: camera preview, the SDK's boxes drawn over it, a heads-up line (outcome
 * against the budget, p50/p95 per stage, execution provider and why others were skipped), a budget
 * slider and the traffic-light / face mode switch with enrol and verify.
 *
 * <p>Lifecycle: the camera permission is asked in {@code onResume}; refused, a screen explains why
 * the app needs it, with "try again" and "open settings". {@code onPause} closes the camera, stops
 * the frame runner after the frame in flight, then closes the SDK sessions; {@code onResume} opens
 * them again (rotation recreates the activity through the same path). Threading: UI thread, except
 * model loading (one background executor) and frame processing ({@link FrameProcessor}'s worker).
 */
public final class DemoActivity extends Activity {
  static final int CAMERA_REQUEST = 1;

  /** Face models are not bundled (licences, size): {@code adb push} them here (see README). */
  static final String FACE_DETECTOR = "face_detection_yunet_2026may.onnx";

  static final String FACE_EMBEDDER = "mobilefacenet_arcface_128d.onnx";

  private final Handler ui = new Handler(Looper.getMainLooper());
  private @Nullable ExecutorService loader;
  private @Nullable CameraSource camera;
  private @Nullable FrameProcessor processor;
  private volatile @Nullable TrafficLightPipeline traffic;
  private volatile @Nullable FacePipeline faces;
  private @Nullable TextureView preview;
  private @Nullable OverlayView overlay;
  private @Nullable TextView headsUp;
  private @Nullable TextView deniedText;
  private volatile FrameProcessor.@Nullable Shown lastShown;
  private boolean requesting;
  private boolean refused;

  @Override
  protected void onCreate(@Nullable Bundle state) {
    super.onCreate(state);
    showCameraScreen();
  }

  @Override
  protected void onResume() {
    super.onResume();
    if (checkSelfPermission(Manifest.permission.CAMERA) == PackageManager.PERMISSION_GRANTED) {
      if (deniedText != null) {
        showCameraScreen(); // granted meanwhile in the system settings
      }
      start();
    } else if (!refused && !requesting) {
      askForCamera();
    }
    // refused: the explanation stays; only its "Try again" asks again (asking on every resume would
    // loop,
    // because the permission dialog itself pauses and resumes the activity)
  }

  private void askForCamera() {
    requesting = true;
    requestPermissions(new String[] {Manifest.permission.CAMERA}, CAMERA_REQUEST);
  }

  @Override
  public void onRequestPermissionsResult(int requestCode, String[] permissions, int[] results) {
    super.onRequestPermissionsResult(requestCode, permissions, results);
    if (requestCode != CAMERA_REQUEST) {
      return;
    }
    requesting = false;
    if (results.length > 0 && results[0] == PackageManager.PERMISSION_GRANTED) {
      refused = false;
      if (deniedText != null) {
        showCameraScreen();
      }
      start();
    } else {
      refused = true;
      showDeniedScreen();
    }
  }

  @Override
  protected void onPause() {
    stop();
    super.onPause();
  }

  /**
   * @return the frame path (tests feed it frames the way the camera does)
   */
  @Nullable FrameProcessor processor() {
    return processor;
  }

  /**
   * @return the last output drawn, or null
   */
  FrameProcessor.@Nullable Shown lastShown() {
    return lastShown;
  }

  /**
   * @return the heads-up text now
   */
  CharSequence headsUpText() {
    TextView t = headsUp;
    return t == null ? "" : t.getText();
  }

  /**
   * @return the denied screen's text, or null when it is not shown
   */
  @Nullable CharSequence deniedText() {
    TextView t = deniedText;
    return t == null ? null : t.getText();
  }

  /**
   * @return the traffic-light pipeline once loaded
   */
  @Nullable TrafficLightPipeline trafficPipeline() {
    return traffic;
  }

  /** Starts the sessions, the frame path and the camera; does nothing when already started. */
  private void start() {
    if (processor != null) {
      return;
    }
    ExecutorService l = Executors.newSingleThreadExecutor();
    loader = l;
    FrameProcessor p =
        new FrameProcessor(
            () -> traffic,
            () -> faces,
            shown -> {
              lastShown = shown;
              ui.post(() -> draw(shown));
            });
    processor = p;
    l.execute(this::loadPipelines);
    TextureView v = preview;
    if (v != null && v.isAvailable()) {
      openCamera(v.getSurfaceTexture());
    }
  }

  private void loadPipelines() {
    try {
      traffic =
          TrafficLightPipeline.create(
              readAsset(TrafficLightPipeline.MODEL_ASSET), TrafficLightPipeline.PROVIDERS);
    } catch (IOException | RuntimeException e) {
      ui.post(() -> setHeadsUp("cannot load the traffic-light model: " + e.getMessage()));
      return;
    }
    File models = new File(getExternalFilesDir(null), "models");
    File det = new File(models, FACE_DETECTOR);
    File emb = new File(models, FACE_EMBEDDER);
    if (det.isFile() && emb.isFile()) {
      try {
        faces =
            FacePipeline.open(
                ModelSource.of(det.toPath()),
                ModelSource.of(emb.toPath()),
                TrafficLightPipeline.PROVIDERS,
                new File(getFilesDir(), "faces.gallery").toPath(),
                galleryKey());
      } catch (IOException | RuntimeException | java.security.GeneralSecurityException e) {
        ui.post(() -> setHeadsUp("face mode unavailable: " + e.getMessage()));
      }
    }
  }

  /** The gallery's AES key, created once inside the Android Keystore (never leaves it). */
  private static SecretKey galleryKey() throws java.security.GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("AndroidKeyStore");
    ks.load(null);
    String alias = "edgevision-face-gallery";
    if (ks.getKey(alias, null) instanceof SecretKey k) {
      return k;
    }
    KeyGenerator g = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, "AndroidKeyStore");
    g.init(
        new KeyGenParameterSpec.Builder(
                alias, KeyProperties.PURPOSE_ENCRYPT | KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM, KeyProperties.BLOCK_MODE_ECB)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setRandomizedEncryptionRequired(
                false) // the gallery format draws its own random 96-bit GCM IV
            .setKeySize(256)
            .build());
    return g.generateKey();
  }

  private byte[] readAsset(String name) throws IOException {
    try (InputStream in = getAssets().open(name)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) != -1; ) {
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }

  private void openCamera(SurfaceTexture texture) {
    FrameProcessor p = processor;
    if (p == null || camera != null) {
      return;
    }
    CameraSource c = new CameraSource(this);
    camera = c;
    c.open(texture, displayRotationDegrees(), p::onFrame, msg -> ui.post(() -> setHeadsUp(msg)));
  }

  @SuppressWarnings("deprecation") // getDefaultDisplay is the API-26 way
  private int displayRotationDegrees() {
    return switch (getWindowManager().getDefaultDisplay().getRotation()) {
      case Surface.ROTATION_90 -> 90;
      case Surface.ROTATION_180 -> 180;
      case Surface.ROTATION_270 -> 270;
      default -> 0;
    };
  }

  private void stop() {
    CameraSource c = camera;
    camera = null;
    if (c != null) {
      c.close();
    }
    FrameProcessor p = processor;
    processor = null;
    if (p != null) {
      p.close();
    }
    ExecutorService l = loader;
    loader = null;
    if (l != null) {
      l.shutdown();
      try {
        l.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    TrafficLightPipeline t = traffic;
    traffic = null;
    if (t != null) {
      t.close();
    }
    FacePipeline f = faces;
    faces = null;
    if (f != null) {
      f.close();
    }
  }

  private void draw(FrameProcessor.Shown shown) {
    OverlayView o = overlay;
    if (o != null) {
      o.show(shown.marks(), shown.frameWidth(), shown.frameHeight(), shown.rotationDegrees());
    }
    setHeadsUp(shown.headsUp());
  }

  private void setHeadsUp(String text) {
    TextView t = headsUp;
    if (t != null) {
      t.setText(text);
    }
  }

  private void showCameraScreen() {
    deniedText = null;
    FrameLayout root = new FrameLayout(this);
    root.setBackgroundColor(Color.BLACK);
    TextureView v = new TextureView(this);
    v.setSurfaceTextureListener(
        new TextureView.SurfaceTextureListener() {
          @Override
          public void onSurfaceTextureAvailable(SurfaceTexture texture, int width, int height) {
            openCamera(texture);
          }

          @Override
          public void onSurfaceTextureSizeChanged(SurfaceTexture texture, int width, int height) {}

          @Override
          public boolean onSurfaceTextureDestroyed(SurfaceTexture texture) {
            return true;
          }

          @Override
          public void onSurfaceTextureUpdated(SurfaceTexture texture) {}
        });
    preview = v;
    root.addView(v, match());
    OverlayView o = new OverlayView(this);
    overlay = o;
    root.addView(o, match());

    LinearLayout panel = new LinearLayout(this);
    panel.setOrientation(LinearLayout.VERTICAL);
    panel.setBackgroundColor(0x99000000);
    TextView h = new TextView(this);
    h.setTextColor(Color.WHITE);
    h.setText("starting...");
    headsUp = h;
    panel.addView(h);

    TextView budgetLabel = new TextView(this);
    budgetLabel.setTextColor(Color.WHITE);
    budgetLabel.setText("budget 50 ms");
    SeekBar budget = new SeekBar(this);
    budget.setMax(195);
    budget.setProgress(45);
    budget.setOnSeekBarChangeListener(
        new SeekBar.OnSeekBarChangeListener() {
          @Override
          public void onProgressChanged(SeekBar bar, int progress, boolean fromUser) {
            long ms = progress + 5L;
            budgetLabel.setText("budget " + ms + " ms");
            FrameProcessor p = processor;
            if (p != null) {
              p.budgetMillis(ms);
            }
          }

          @Override
          public void onStartTrackingTouch(SeekBar bar) {}

          @Override
          public void onStopTrackingTouch(SeekBar bar) {}
        });
    panel.addView(budgetLabel);
    panel.addView(budget);

    LinearLayout buttons = new LinearLayout(this);
    Button mode = new Button(this);
    mode.setText("mode: traffic lights");
    EditText name = new EditText(this);
    name.setHint("name");
    name.setTextColor(Color.WHITE);
    Button enrol = new Button(this);
    enrol.setText("enrol");
    Button verify = new Button(this);
    verify.setText("verify");
    mode.setOnClickListener(
        x -> {
          FrameProcessor p = processor;
          if (p == null) {
            return;
          }
          boolean toFaces = p.mode() == FrameProcessor.Mode.TRAFFIC_LIGHTS;
          p.mode(toFaces ? FrameProcessor.Mode.FACES : FrameProcessor.Mode.TRAFFIC_LIGHTS);
          mode.setText(toFaces ? "mode: faces" : "mode: traffic lights");
        });
    enrol.setOnClickListener(
        x -> {
          FrameProcessor p = processor;
          String n = name.getText().toString().trim();
          if (p != null && !n.isEmpty()) {
            p.mode(FrameProcessor.Mode.FACES);
            mode.setText("mode: faces");
            p.enrolNext(n);
          }
        });
    verify.setOnClickListener(
        x -> {
          FrameProcessor p = processor;
          String n = name.getText().toString().trim();
          if (p != null) {
            p.verifyAgainst(
                n.isEmpty() ? null : n); // empty name: identify against the whole gallery
          }
        });
    buttons.addView(mode);
    buttons.addView(
        name, new LinearLayout.LayoutParams(0, ViewGroup.LayoutParams.WRAP_CONTENT, 1f));
    buttons.addView(enrol);
    buttons.addView(verify);
    panel.addView(buttons);
    FrameLayout.LayoutParams bottom =
        new FrameLayout.LayoutParams(
            ViewGroup.LayoutParams.MATCH_PARENT,
            ViewGroup.LayoutParams.WRAP_CONTENT,
            Gravity.BOTTOM);
    root.addView(panel, bottom);
    setContentView(root);
  }

  private void showDeniedScreen() {
    stop();
    preview = null;
    overlay = null;
    headsUp = null;
    LinearLayout root = new LinearLayout(this);
    root.setOrientation(LinearLayout.VERTICAL);
    root.setGravity(Gravity.CENTER);
    root.setPadding(48, 48, 48, 48);
    TextView t = new TextView(this);
    t.setText(
        "EdgeVision needs the camera to detect traffic lights and faces in the live preview. "
            + "Nothing leaves the phone: frames are processed on the device and not stored.\n\n"
            + "Camera access was refused.");
    t.setTextSize(18f);
    deniedText = t;
    Button retry = new Button(this);
    retry.setText("Try again");
    retry.setOnClickListener(x -> askForCamera());
    Button settings = new Button(this);
    settings.setText("Open settings");
    settings.setOnClickListener(
        x ->
            startActivity(
                new Intent(
                    Settings.ACTION_APPLICATION_DETAILS_SETTINGS,
                    Uri.fromParts("package", getPackageName(), null))));
    root.addView(t);
    root.addView(retry);
    root.addView(settings);
    setContentView(root);
  }

  private static FrameLayout.LayoutParams match() {
    return new FrameLayout.LayoutParams(
        ViewGroup.LayoutParams.MATCH_PARENT, ViewGroup.LayoutParams.MATCH_PARENT);
  }
}
